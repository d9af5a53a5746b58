/*
 * Copyright 2026 The flink-local-recovery authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package io.flinklocalrecovery.core.store;

import org.apache.flink.annotation.Internal;
import org.apache.flink.util.Preconditions;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whose local checkpoints a directory holds: one job, one operator, one subtask, one kind of state.
 * Retention is applied per scope; lookups at restore go by primary handle id and do not depend on
 * the scope, so a task restored in another slot, with another subtask index or after a rescale
 * still finds the copies of this TaskManager.
 */
@Internal
public final class LocalSnapshotScope {

    /** Which backend of an operator wrote the copies. */
    public enum Kind {
        KEYED,
        OPERATOR;

        String dirToken() {
            return this == KEYED ? "keyed" : "operator";
        }

        static Kind fromDirToken(String token) {
            switch (token) {
                case "keyed":
                    return KEYED;
                case "operator":
                    return OPERATOR;
                default:
                    throw new IllegalArgumentException("Unknown scope kind " + token);
            }
        }
    }

    private static final Pattern SAFE_TOKEN = Pattern.compile("[A-Za-z0-9]{1,64}");
    private static final Pattern OPERATOR_IN_DESCRIPTION =
            Pattern.compile("_([0-9a-fA-F]{32})_\\(\\d+/\\d+\\)$");
    private static final Pattern SCOPE_DIR =
            Pattern.compile("op_([A-Za-z0-9]{1,64})_st_(\\d+)_(keyed|operator)");

    private final String jobId;
    private final String operatorId;
    private final int subtaskIndex;
    private final Kind kind;

    public LocalSnapshotScope(String jobId, String operatorId, int subtaskIndex, Kind kind) {
        Preconditions.checkArgument(
                SAFE_TOKEN.matcher(jobId).matches(), "Unsafe job id for a path: %s", jobId);
        Preconditions.checkArgument(
                SAFE_TOKEN.matcher(operatorId).matches(),
                "Unsafe operator id for a path: %s",
                operatorId);
        Preconditions.checkArgument(subtaskIndex >= 0, "Negative subtask index");
        this.jobId = jobId;
        this.operatorId = operatorId;
        this.subtaskIndex = subtaskIndex;
        this.kind = Preconditions.checkNotNull(kind);
    }

    /**
     * Derives the operator id from Flink's operator identifier text ({@code
     * <class>_<operatorId>_(<i>/<n>)}); other formats get a stable hash, so that the scope is still
     * well defined.
     */
    public static String operatorIdFromIdentifier(String operatorIdentifier) {
        Matcher matcher = OPERATOR_IN_DESCRIPTION.matcher(operatorIdentifier);
        if (matcher.find()) {
            return matcher.group(1).toLowerCase();
        }
        String withoutSubtask = operatorIdentifier.replaceFirst("_\\(\\d+/\\d+\\)$", "");
        return String.format("h%08x", withoutSubtask.hashCode());
    }

    public String getJobId() {
        return jobId;
    }

    public String getOperatorId() {
        return operatorId;
    }

    public int getSubtaskIndex() {
        return subtaskIndex;
    }

    public Kind getKind() {
        return kind;
    }

    String jobDirName() {
        return jobDirName(jobId);
    }

    static String jobDirName(String jobId) {
        return "job_" + jobId;
    }

    String scopeDirName() {
        return "op_" + operatorId + "_st_" + subtaskIndex + "_" + kind.dirToken();
    }

    static boolean isJobDirName(String name) {
        return name.startsWith("job_") && SAFE_TOKEN.matcher(name.substring(4)).matches();
    }

    /** Parses a scope from its directory names, or null if they are not ours. */
    static LocalSnapshotScope fromDirNames(String jobDirName, String scopeDirName) {
        if (!isJobDirName(jobDirName)) {
            return null;
        }
        Matcher matcher = SCOPE_DIR.matcher(scopeDirName);
        if (!matcher.matches()) {
            return null;
        }
        try {
            return new LocalSnapshotScope(
                    jobDirName.substring(4),
                    matcher.group(1),
                    Integer.parseInt(matcher.group(2)),
                    Kind.fromDirToken(matcher.group(3)));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LocalSnapshotScope)) {
            return false;
        }
        LocalSnapshotScope that = (LocalSnapshotScope) o;
        return subtaskIndex == that.subtaskIndex
                && jobId.equals(that.jobId)
                && operatorId.equals(that.operatorId)
                && kind == that.kind;
    }

    @Override
    public int hashCode() {
        return Objects.hash(jobId, operatorId, subtaskIndex, kind);
    }

    @Override
    public String toString() {
        return jobDirName() + "/" + scopeDirName();
    }
}
