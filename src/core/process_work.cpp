#include "process_work.hpp"

namespace threadlab {

Work make_process_work(WorkSpec spec, ProcessPool& pool) {
    return [spec, &pool](WorkContext& context) -> std::string {
        const auto transfer = context.time.to_real(pool.setting().transfer_seconds);
        const auto job = context.time.to_real(spec.seconds);
        // Progress: pickling, the job, unpickling; the start-up and any queueing show as a pause.
        context.progress.begin(WorkKind::process, transfer * 2 + job, Clock::now());
        // The pickling computes under the caller's GIL: its own progress is not the whole item's.
        WorkProgress pickling;
        WorkContext transfer_context{context.stop, context.time, context.gil, pickling, context.session,
                                     context.counters};
        compute_python(transfer, transfer_context);  // pickle.dumps(data)
        context.progress.advance(transfer);
        auto result = pool.run({context.session, spec.seconds, spec.fails}, context.stop);
        context.progress.advance(transfer + job);
        compute_python(transfer, transfer_context);  // pickle.loads(result)
        context.progress.advance(transfer * 2 + job);
        return result;
    };
}

}  // namespace threadlab
