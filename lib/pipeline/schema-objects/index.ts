// Twin fidelity: the schema objects an application needs besides tables (views, materialized
// views, functions and procedures, rules, triggers, row-level security, comments, ownership and
// grants, the extensions they use). The engine (run-clone) calls, in this order:
//   readSchemaObjects(sourceSnapshotClient, scope)          on the source snapshot, catalog reads only
//   checkExtensions(target, objects)                         before anything is written
//   extensionSetupStatements(target, objects, staging)       before the staging tables
//   stagingFunctionStatements(objects, staging)              after the staging types, before the tables
//   extensionRelocationStatements(target, replaced)          in the swap, before renaming old schemas away
//   schemaObjectStatements(objects, opts).statements         in the swap, after staging took the final names
//   ...refreshMaterializedViews                              right after, still in the swap
// and merges `skipped` into the report.

export { readSchemaObjects, type Scope } from "./read-schema-objects";
export { checkExtensions, extensionRelocationStatements, extensionSetupStatements, readTargetInfo, type TargetInfo } from "./extensions";
export { schemaObjectStatements, type ObjectStatements, type StatementOptions } from "./schema-object-statements";
export { resolveObjects } from "./resolve-objects";
export { stagingFunctionStatements } from "./staging-functions";
export type * from "./types";
