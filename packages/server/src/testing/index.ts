/**
 * @broom/server/testing: the contract suite every `Store` implementation runs.
 * @experimental
 */
export { describeStoreContract, type StoreFactory } from './store-contract.js';
