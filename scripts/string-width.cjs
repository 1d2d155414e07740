// cli-table3's string-width, in the bundle: Argus' own cell measure (src/format/cells.ts). string-width 4 builds
// its emoji RegExp anew at every call, and cli-table3 measures each line of each cell several times: 160 of the
// 210 ms of `argus checks` went there. Tests, run from source, keep the package; both count the same cells for
// what Argus prints (SGR colours, ASCII, box drawing, "…", wide CJK).
const { cellWidth } = require('../src/format/cells.ts');

module.exports = (text) => cellWidth(String(text));
