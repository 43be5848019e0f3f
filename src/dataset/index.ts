export { type LoadJsonlOptions, loadJsonl } from './loadJsonl.js';
export { type LabelSet, loadLabels, withLabels } from './loadLabels.js';
