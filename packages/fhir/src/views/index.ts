export {
  compileViewDefinition,
  type CompiledView,
  type CompileViewOptions,
  type ViewColumn,
  type ViewRow,
} from './view-compiler';
export { viewColumnTableType } from './column-types';
export { ViewDefinitionError, ViewEvaluationError, type ViewDefinitionIssue } from './errors';
