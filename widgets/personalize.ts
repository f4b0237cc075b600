/**
 * Entry of `pathfora.recommend.min.js`, the personalization chunk loaded
 * on demand: content recommendation requests (variant 3 widgets,
 * `recommendContent`) and inline personalization (`data-pftrigger`,
 * `data-pfrecommend`).
 */
import { scanInline } from "./inline";
import { recommend } from "./recommend";

const pf = window.pathfora!;
pf._rec = recommend;
pf._scan = scanInline;
