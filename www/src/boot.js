// The page's entry point, kept small: it starts the checker (the worker and the compile of the
// WebAssembly module, checker.js) before the editor's own code, most of the page's script
// (CodeMirror), is fetched and parsed; the editor (main.js) is then loaded as a chunk of its own
// (index.html preloads it, vite.config.js), so the two load side by side.
import './style.css';

import { sharedChecker } from './checker.js';

performance.mark('cc-boot');
sharedChecker();
import('./main.js');
