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

/**
 * Where a local copy handed to a restore comes from: this TaskManager's own root, a root it adopted
 * from a TaskManager that is gone ({@link AdoptedRoots}), or a root of another live TaskManager of
 * this host, from which it was borrowed for the restore ({@link BorrowedCopies}).
 */
@Internal
public final class CopyOrigin {

    /** The kinds of origin. */
    public enum Kind {
        OWN,
        ADOPTED,
        BORROWED
    }

    public static final CopyOrigin OWN = new CopyOrigin(Kind.OWN, "");

    private final Kind kind;
    private final String source;

    private CopyOrigin(Kind kind, String source) {
        this.kind = kind;
        this.source = source;
    }

    /** A copy in a root adopted from the TaskManager whose root had this name. */
    public static CopyOrigin adoptedFrom(String siblingName) {
        return new CopyOrigin(Kind.ADOPTED, Preconditions.checkNotNull(siblingName));
    }

    /** A copy borrowed from the root (or adopted root) of another live TaskManager. */
    public static CopyOrigin borrowedFrom(String siblingRoot) {
        return new CopyOrigin(Kind.BORROWED, Preconditions.checkNotNull(siblingRoot));
    }

    public Kind getKind() {
        return kind;
    }

    /** The sibling's name (adopted) or root (borrowed); empty for the store's own copies. */
    public String getSource() {
        return source;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof CopyOrigin)) {
            return false;
        }
        CopyOrigin that = (CopyOrigin) o;
        return kind == that.kind && source.equals(that.source);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, source);
    }

    @Override
    public String toString() {
        switch (kind) {
            case ADOPTED:
                return "adopted from " + source;
            case BORROWED:
                return "borrowed from " + source;
            default:
                return "own";
        }
    }
}
