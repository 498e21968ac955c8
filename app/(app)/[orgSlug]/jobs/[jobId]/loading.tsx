import { RunSkeleton } from "../../skeletons";

export default RunSkeleton;
