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
package io.flinklocalrecovery.core.restore;

import org.apache.flink.annotation.Internal;

import io.flinklocalrecovery.core.store.CopyOrigin;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where the local copies of one restore came from that are not the TaskManager's own: how many
 * handles read copies adopted from TaskManagers that are gone or borrowed from live ones of the
 * host, and from which roots, for the metrics and the restore's log line.
 */
@Internal
public final class CopyOrigins {

    private int adopted;
    private int borrowed;
    private final Set<String> sources = new TreeSet<>();

    /** One handle restored from a copy of this origin. */
    public void add(CopyOrigin origin) {
        switch (origin.getKind()) {
            case ADOPTED:
                adopted++;
                sources.add(origin.toString());
                break;
            case BORROWED:
                borrowed++;
                sources.add(origin.toString());
                break;
            default:
                break;
        }
    }

    public void addAll(CopyOrigins other) {
        adopted += other.adopted;
        borrowed += other.borrowed;
        sources.addAll(other.sources);
    }

    /** Handles restored from adopted copies. */
    public int adopted() {
        return adopted;
    }

    /** Handles restored from borrowed copies. */
    public int borrowed() {
        return borrowed;
    }

    public boolean any() {
        return adopted > 0 || borrowed > 0;
    }

    /** The origins, e.g. "adopted from tm-2", "borrowed from /data/lr/tm-3". */
    public Set<String> sources() {
        return Collections.unmodifiableSet(sources);
    }

    @Override
    public String toString() {
        return adopted + " handles adopted, " + borrowed + " borrowed " + sources;
    }
}
