import { MemoryStore } from '../src/memory-store.js';
import { describeTokenStore } from '../src/testing/index.js';

describeTokenStore('MemoryStore', () => new MemoryStore());
