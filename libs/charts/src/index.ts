export { renderSvg, type ChartSpec } from './render';
export { trainingCurvesSpec, trainingRows, type TrainingPoint } from './training';
export { evalChartRows, evalReportSpecs, headline, type EvalChartRow } from './evaluation';
export { renderStack } from './stack';
export { reportExecutor, transferDirectors, transferMarkdown, transferRows, transferSpec, type TransferRow } from './transfer';
