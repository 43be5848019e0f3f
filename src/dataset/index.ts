export { type LoadJsonlOptions, loadJsonl } from './loadJsonl.js';
