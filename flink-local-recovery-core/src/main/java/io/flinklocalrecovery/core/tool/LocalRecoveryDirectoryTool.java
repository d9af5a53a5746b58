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
package io.flinklocalrecovery.core.tool;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.util.TimeUtils;

import io.flinklocalrecovery.core.config.LocalRecoveryOptions;
import io.flinklocalrecovery.core.store.StoreInspection;
import io.flinklocalrecovery.core.store.StoreInspection.StoredCheckpoint;
import io.flinklocalrecovery.core.store.StoreInspection.StoredJob;
import io.flinklocalrecovery.core.store.StoredCopyVerification;
import io.flinklocalrecovery.core.store.StoredCopyVerification.Damage;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Inspects, verifies and cleans a local-recovery directory from the command line, while the
 * TaskManager runs or not:
 *
 * <pre>
 * java -cp 'lib/*' io.flinklocalrecovery.core.tool.LocalRecoveryDirectoryTool list|verify|clean
 *     [--apply] [--released-lifetime &lt;duration&gt;] &lt;directory&gt;
 * </pre>
 *
 * The directory is a TaskManager's root (it holds the store's {@code .lock}) or a configured {@code
 * state.backend.local-recovery.dirs} entry holding such roots; anything else is refused. {@code
 * list} and {@code verify} only read. {@code clean} removes what the store would collect when it
 * opens (a dry run unless {@code --apply}) and never touches a root whose TaskManager is alive.
 * Exit codes: {@value #OK} done (and, for verify, nothing damaged), {@value #DAMAGED} verify found
 * damaged files, {@value #USAGE} wrong arguments or not a local-recovery directory, {@value
 * #IO_ERROR} an I/O error, {@value #SKIPPED_IN_USE} clean skipped a root in use.
 */
@PublicEvolving
public final class LocalRecoveryDirectoryTool {

    public static final int OK = 0;
    public static final int DAMAGED = 1;
    public static final int USAGE = 2;
    public static final int IO_ERROR = 3;
    public static final int SKIPPED_IN_USE = 4;

    private static final long PROGRESS_EVERY_MILLIS = 2_000;

    private static final String USAGE_TEXT =
            "Usage: java -cp 'lib/*' "
                    + LocalRecoveryDirectoryTool.class.getName()
                    + " list|verify|clean [--apply] [--released-lifetime <duration>] <directory>\n"
                    + "  list     what is stored: jobs, operators, subtasks, checkpoints, sizes, "
                    + "ages, owner alive or not\n"
                    + "  verify   re-read every file against its recorded size and CRC32C\n"
                    + "  clean    remove what the store would collect (a dry run unless --apply; "
                    + "never a root in use)\n"
                    + "  --released-lifetime  how long released jobs keep their copies (default: "
                    + LocalRecoveryOptions.RELEASED_COPIES_LIFETIME.defaultValue()
                    + ", as "
                    + LocalRecoveryOptions.RELEASED_COPIES_LIFETIME.key()
                    + ")\n"
                    + "Exit codes: 0 done, 1 damaged files found, 2 usage or not a local-recovery "
                    + "directory, 3 I/O error, 4 a root in use was skipped";

    private final PrintStream out;
    private final PrintStream err;
    private final long now = System.currentTimeMillis();

    private LocalRecoveryDirectoryTool(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the tool; returns its exit code. */
    @VisibleForTesting
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String command = null;
        String directory = null;
        boolean apply = false;
        Duration lifetime = LocalRecoveryOptions.RELEASED_COPIES_LIFETIME.defaultValue();
        try {
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--apply")) {
                    apply = true;
                } else if (arg.equals("--released-lifetime") && i + 1 < args.length) {
                    lifetime = TimeUtils.parseDuration(args[++i]);
                } else if (arg.startsWith("--") || (command != null && directory != null)) {
                    return usage(err, "Unknown argument '" + arg + "'.");
                } else if (command == null) {
                    command = arg;
                } else {
                    directory = arg;
                }
            }
        } catch (IllegalArgumentException e) {
            return usage(err, "Invalid --released-lifetime: " + e.getMessage());
        }
        if (command == null || directory == null) {
            return usage(err, "A command and a directory are needed.");
        }
        LocalRecoveryDirectoryTool tool = new LocalRecoveryDirectoryTool(out, err);
        try {
            List<Path> roots = StoreInspection.rootsIn(Paths.get(directory));
            if (roots.isEmpty()) {
                err.println(
                        "Refusing "
                                + directory
                                + ": it is not a local-recovery directory (neither a "
                                + "TaskManager's root, which holds a .lock file, nor a "
                                + "directory of such roots, as "
                                + LocalRecoveryOptions.LOCAL_DIRECTORIES.key()
                                + " lists them).");
                return USAGE;
            }
            switch (command) {
                case "list":
                    return tool.list(roots);
                case "verify":
                    return tool.verify(roots);
                case "clean":
                    return tool.clean(roots, lifetime, apply);
                default:
                    return usage(err, "Unknown command '" + command + "'.");
            }
        } catch (IOException e) {
            err.println("I/O error: " + e);
            return IO_ERROR;
        }
    }

    private static int usage(PrintStream err, String problem) {
        err.println(problem);
        err.println(USAGE_TEXT);
        return USAGE;
    }

    private int list(List<Path> roots) throws IOException {
        for (Path root : roots) {
            String owner = StoreInspection.ownerAlive(root) ? "alive" : "not running";
            list(root, "root " + root + " (owner " + owner + ")");
            for (Path adopted : StoreInspection.adoptedRoots(root)) {
                list(
                        adopted,
                        "adopted root "
                                + adopted
                                + " (from "
                                + StoreInspection.adoptedFrom(adopted)
                                + ", owner "
                                + owner
                                + ")");
            }
        }
        return OK;
    }

    private void list(Path root, String title) throws IOException {
        List<StoredJob> jobs = StoreInspection.list(root);
        List<StoredCheckpoint> all = new ArrayList<>();
        jobs.forEach(job -> all.addAll(job.checkpoints));
        out.printf(
                "%s: %d jobs, %d local checkpoints, %d bytes on disk%n",
                title, jobs.size(), all.size(), StoreInspection.distinctBytes(all));
        for (StoredJob job : jobs) {
            out.printf(
                    "  job %s (%s)%n",
                    job.jobId,
                    job.releasedAtMillis == 0
                            ? "not released"
                            : "released " + ageOf(job.releasedAtMillis) + " ago");
            for (StoredCheckpoint checkpoint : job.checkpoints) {
                out.printf(
                        "    operator %s subtask %d %s checkpoint %d: %s, %d files, %d bytes,"
                                + " age %s%n",
                        checkpoint.scope.getOperatorId(),
                        checkpoint.scope.getSubtaskIndex(),
                        checkpoint.scope.getKind().name().toLowerCase(java.util.Locale.ROOT),
                        checkpoint.checkpointId,
                        checkpoint.manifest == null ? "incomplete" : "complete",
                        checkpoint.files(),
                        checkpoint.recordedBytes(),
                        ageOf(checkpoint.modifiedMillis));
            }
        }
    }

    private int verify(List<Path> roots) throws IOException {
        List<StoredCheckpoint> checkpoints = new ArrayList<>();
        for (Path root : roots) {
            if (StoreInspection.ownerAlive(root)) {
                err.println(
                        "Note: "
                                + root
                                + " is in use by a running TaskManager; files it deletes while "
                                + "they are read show as missing.");
            }
            for (StoredJob job : StoreInspection.list(root)) {
                checkpoints.addAll(job.checkpoints);
            }
            for (Path adopted : StoreInspection.adoptedRoots(root)) {
                for (StoredJob job : StoreInspection.list(adopted)) {
                    checkpoints.addAll(job.checkpoints);
                }
            }
        }
        long totalFiles = 0;
        long totalBytes = 0;
        for (StoredCheckpoint checkpoint : checkpoints) {
            totalFiles += checkpoint.files();
            totalBytes += checkpoint.recordedBytes();
        }
        Progress progress = new Progress(totalFiles, totalBytes);
        int damaged = 0;
        for (StoredCheckpoint checkpoint : checkpoints) {
            if (checkpoint.manifest == null) {
                out.println("INCOMPLETE " + checkpoint.directory + ": no valid manifest");
                continue;
            }
            for (Damage damage : StoredCopyVerification.verify(checkpoint, progress::read)) {
                out.println("DAMAGED " + damage);
                damaged++;
            }
        }
        out.printf(
                "Verified %d local checkpoints, %d files, %d bytes: %s.%n",
                checkpoints.size(),
                progress.files,
                progress.bytes,
                damaged == 0 ? "nothing damaged" : damaged + " damaged files");
        return damaged == 0 ? OK : DAMAGED;
    }

    private int clean(List<Path> roots, Duration lifetime, boolean apply) {
        int exit = OK;
        int count = 0;
        for (Path root : roots) {
            if (StoreInspection.ownerAlive(root)) {
                out.println("Skipped " + root + ": in use by a running TaskManager.");
                exit = Math.max(exit, SKIPPED_IN_USE);
                continue;
            }
            List<Integer> found = new ArrayList<>();
            try {
                StoreInspection.clean(
                        root,
                        lifetime,
                        !apply,
                        (path, why) -> {
                            out.println(
                                    (apply ? "Removed " : "Would remove ")
                                            + path
                                            + " ("
                                            + why
                                            + ")");
                            found.add(1);
                        });
            } catch (IOException e) {
                err.println("Skipped " + root + ": " + e.getMessage());
                exit =
                        Math.max(
                                exit,
                                e.getMessage() != null && e.getMessage().contains("in use")
                                        ? SKIPPED_IN_USE
                                        : IO_ERROR);
            }
            count += found.size();
        }
        out.println(
                (apply ? "Removed " : "Dry run: would remove ")
                        + count
                        + " entries"
                        + (apply ? "." : "; run again with --apply to remove them."));
        return exit;
    }

    private String ageOf(long millis) {
        return Duration.ofMillis(Math.max(0, now - millis)).getSeconds() + " s";
    }

    /** Prints how far a long verification is, at most every {@value #PROGRESS_EVERY_MILLIS} ms. */
    private final class Progress {
        final long totalFiles;
        final long totalBytes;
        long files;
        long bytes;
        long lastPrinted = System.currentTimeMillis();

        Progress(long totalFiles, long totalBytes) {
            this.totalFiles = totalFiles;
            this.totalBytes = totalBytes;
        }

        void read(long size) {
            files++;
            bytes += size;
            long time = System.currentTimeMillis();
            if (time - lastPrinted >= PROGRESS_EVERY_MILLIS) {
                lastPrinted = time;
                err.printf(
                        "... %d of %d files, %d of %d bytes%n",
                        files, totalFiles, bytes, totalBytes);
            }
        }
    }
}
