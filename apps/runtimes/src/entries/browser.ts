/** Chromium: the page calls `runSmoke(config)`. */
import { runSmoke } from '../smoke.js';

Object.assign(globalThis, { runSmoke });
