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
package io.flinklocalrecovery.testutils.minicluster;

import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Passes records through and keeps operator state of every kind: a list-state counter, the same
 * counter in union-list state, and a broadcast rule. Each restore is recorded, so the test can
 * compare it with what was snapshotted for that checkpoint.
 */
public class OperatorStateFunction extends BroadcastProcessFunction<Long, String, Long>
        implements CheckpointedFunction {

    public static final MapStateDescriptor<String, String> RULES =
            new MapStateDescriptor<>("rules", Types.STRING, Types.STRING);

    private transient ListState<Long> countState;
    private transient ListState<String> unionState;
    private transient ListState<Boolean> ruleSeenState;
    private transient long count;
    private transient boolean ruleSeen;

    @Override
    public void processElement(Long value, ReadOnlyContext ctx, Collector<Long> out) {
        count++;
        out.collect(value);
    }

    @Override
    public void processBroadcastElement(String rule, Context ctx, Collector<Long> out)
            throws Exception {
        ctx.getBroadcastState(RULES).put("rule", rule);
        ruleSeen = true;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        countState.update(java.util.List.of(count));
        unionState.update(java.util.List.of(subtask + ":" + count));
        ruleSeenState.update(java.util.List.of(ruleSeen));
        OperatorStateRecorder.snapshot(context.getCheckpointId(), subtask, count);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        countState =
                context.getOperatorStateStore()
                        .getListState(new ListStateDescriptor<>("count", Types.LONG));
        unionState =
                context.getOperatorStateStore()
                        .getUnionListState(new ListStateDescriptor<>("union", Types.STRING));
        ruleSeenState =
                context.getOperatorStateStore()
                        .getListState(new ListStateDescriptor<>("ruleSeen", Types.BOOLEAN));
        BroadcastState<String, String> rules =
                context.getOperatorStateStore().getBroadcastState(RULES);
        if (!context.isRestored()) {
            return;
        }
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        for (Long c : countState.get()) {
            count += c;
        }
        Long unionOwn = null;
        for (String entry : unionState.get()) {
            String[] parts = entry.split(":");
            if (Integer.parseInt(parts[0]) == subtask) {
                unionOwn = Long.parseLong(parts[1]);
            }
        }
        for (Boolean seen : ruleSeenState.get()) {
            ruleSeen |= seen;
        }
        OperatorStateRecorder.restored(
                new OperatorStateRecorder.Restore(
                        context.getRestoredCheckpointId().orElse(-1L),
                        subtask,
                        count,
                        unionOwn,
                        ruleSeen,
                        rules.get("rule")));
    }
}
