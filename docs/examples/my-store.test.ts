import { describeTokenStore } from '@auth/core/testing';
import { MyStore } from './my-store.js';

describeTokenStore('MyStore', () => new MyStore(), {
  hasLock: false, // MyStore has no lock(): the lease tests are skipped, and say so
  cleanup: (store) => (store as MyStore).close(),
});
