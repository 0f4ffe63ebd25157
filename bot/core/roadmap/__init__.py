"""Personal roadmaps: goals, step statuses, next steps and progress. Adapters use `RoadmapService`."""
