/** Model monitoring: profiles, drift reports, the retraining signal and the in-service monitor. */
export {
  Profile, DISTINCT_CAP,
  type ProfileOptions, type ProfileSettings, type ProfileColumnType, type ColumnProfile, type NumericColumnProfile,
  type CategoricalColumnProfile, type ColumnSummary, type ProfileJSON, type ColumnProfileJSON,
} from './profile.js';
export { Reservoir, type ReservoirJSON } from './reservoir.js';
export { DRIFT_METHODS, DEFAULT_THRESHOLDS, type DriftMethod, type MethodResult } from './methods.js';
export { driftReport, type DriftReport, type DriftReportOptions, type ColumnDrift, type ColumnDriftOptions } from './report.js';
export { retrainingSignal, type RetrainingOptions, type RetrainingReason, type RetrainingSignal } from './retraining.js';
export { DriftMonitor, type DriftMonitorOptions, type MonitorWindow, type MonitorFigures, type MonitoredModel, type ObservedPredictions } from './monitor.js';
