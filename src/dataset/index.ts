export { type DatasetWithNotes, datasetNotes } from './datasetNotes.js';
export { type LoadJsonlOptions, loadJsonl } from './loadJsonl.js';
export { type LabelSet, loadLabels, withLabels } from './loadLabels.js';
