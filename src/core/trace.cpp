#include "trace.hpp"

#include <algorithm>

namespace threadlab {

const char* to_string(SpanKind kind) {
    switch (kind) {
        case SpanKind::task: return "task";
        case SpanKind::click: return "click";
        case SpanKind::periodic: return "periodic";
    }
    return "unknown";
}

std::string thread_name(const SpanRecord& span) {
    return span.kind == SpanKind::task ? "tl-runner-" + std::to_string(span.session)
                                       : "tl-worker-" + std::to_string(span.lane);
}

void Trace::push_span_locked(SpanRecord span) {
    m_spans.push_back(std::move(span));
    if (m_spans.size() > m_capacity) {
        m_spans.pop_front();
        m_dropped.fetch_add(1, std::memory_order_relaxed);
    }
}

void Trace::push_counter_locked(CounterSample sample) {
    m_counters.push_back(sample);
    if (m_counters.size() > m_capacity) {
        m_counters.pop_front();
    }
}

void Trace::add(SpanRecord span) {
    if (enabled()) {
        std::lock_guard lock(m_mutex);
        push_span_locked(std::move(span));
    }
}

void Trace::add_counter(CounterSample sample) {
    if (enabled()) {
        std::lock_guard lock(m_mutex);
        push_counter_locked(sample);
    }
}

void Trace::add(SpanRecord span, CounterSample sample) {
    if (enabled()) {
        std::lock_guard lock(m_mutex);
        push_span_locked(std::move(span));
        push_counter_locked(sample);
    }
}

std::vector<SpanRecord> Trace::spans() const {
    std::lock_guard lock(m_mutex);
    return {m_spans.begin(), m_spans.end()};
}

std::vector<CounterSample> Trace::counters() const {
    std::vector<CounterSample> samples;
    {
        std::lock_guard lock(m_mutex);
        samples.assign(m_counters.begin(), m_counters.end());
    }
    // Recorders add samples outside their own locks, so two of them may arrive out of order.
    std::stable_sort(samples.begin(), samples.end(),
                     [](const CounterSample& a, const CounterSample& b) { return a.when < b.when; });
    return samples;
}

}  // namespace threadlab
