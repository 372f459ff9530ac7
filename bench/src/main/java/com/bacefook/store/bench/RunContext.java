package com.bacefook.store.bench;

import java.nio.file.Path;
import java.time.ZonedDateTime;

/** What every scenario run shares: the repository, the run's id and folders, progress, the seed. */
record RunContext(
    String scenario, Path repo, ZonedDateTime startedAt, String runId, Path resultsDir, Path logDir, Progress progress, long seed) {}
