#pragma once
// A lesson's verdict comes from what this run measured, not from the lesson file's answer: a
// busy machine, a pool resized during the run or the GIL switched off can make a run show another
// choice than the canonical one, and the audience must be told what they saw, and why it may
// differ from what a quiet machine shows. GUI-free: the window and the headless runner share it.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "accounting.hpp"
#include "ids.hpp"
#include "scenario.hpp"
#include "shared_counters.hpp"
#include "trace.hpp"

namespace threadlab {

class Session;
class World;

/// What a finished lesson run left behind, enough to measure any LessonQuantity.
struct LessonRun {
    /// The trace's spans; those submitted before `started` (a window's earlier work) never count.
    std::vector<SpanRecord> spans;
    /// Time zero of the lesson (ScenarioPlayer::started()).
    Clock::time_point started{};
    /// Wall seconds per simulated second (TimeScale::get()) when the run ended.
    double time_scale = 1.0;
    /// The lesson's session numbers in creation order: sessions[0] is "session 1".
    std::vector<SessionId> sessions;
    /// For each of them, when it was destroyed (on_session_destroyed called); unset if never.
    std::vector<std::optional<Clock::time_point>> destroyed;
    CounterReading racy_counter;
    /// Runner threads of sessions destroyed without on_session_destroyed, alive at the end.
    std::size_t leaked_runners = 0;
    /// The pool's counts when the run ended: its queued and running events had not finished.
    AccountingCounts pool;
};

/// A run captured from a live World, before its leaked runners are stopped or it is torn down.
LessonRun capture_lesson_run(const World& world, Clock::time_point started,
                             const std::vector<std::shared_ptr<const Session>>& sessions_in_order, std::size_t leaked);

struct LessonVerdict {
    /// The measured quantity in its own unit (simulated seconds, a count, a ratio); NaN when the
    /// run had nothing to measure (no span in the window, no increment of the counter).
    double measured = 0.0;
    /// For a sentence after "This run measured": "3.98 simulated s", "12 of 20 events completed".
    std::string measured_text;
    /// The first choice (index) whose range holds `measured`; unset when none does.
    std::optional<int> matched_choice;
    /// The lesson file's answer: what a quiet machine shows.
    int canonical = 0;
    /// The run showed the canonical answer.
    bool as_expected = false;
    /// Why a run can show something else than the canonical answer, for this quantity.
    std::string explanation;
};

/// Measures `run` the way the lesson's "measure" says and finds the matching choice. A lesson
/// without a measure gets a verdict with nothing matched and an explanation saying so.
LessonVerdict judge_lesson(const LessonText& lesson, const LessonRun& run);

/// The verdict in plain English: what was measured, which choice that matches (or none), whether
/// that is the usual answer and why it may differ, and whether `prediction` (an index into the
/// choices) was right for this run. Never calls a prediction right that this run did not show.
std::string verdict_sentence(const LessonText& lesson, const LessonVerdict& verdict, std::optional<int> prediction);

/// The verdict in a few words, for the event log: "this run measured 2.01 simulated s, which
/// matches a), the usual answer" (or "b), not the usual answer a)", or "none of the choices").
std::string verdict_summary(const LessonVerdict& verdict);

/// "b) about 4 s" for choice 1.
std::string choice_label(const LessonText& lesson, int choice);

}  // namespace threadlab
