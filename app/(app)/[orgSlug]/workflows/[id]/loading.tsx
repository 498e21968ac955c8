import { WorkflowTabSkeleton } from "../../skeletons";

// Below the workflow's layout (breadcrumb, tabs and the 404 check), so a missing workflow still answers 404.
export default WorkflowTabSkeleton;
