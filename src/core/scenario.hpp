#pragma once
// Scenario files: a pool setting, sessions, work defaults and timed actions, in JSON, so that a
// teacher can prepare a workshop and a lesson runs the same way every time. Parsing is strict:
// an unknown key, a wrong type or an impossible reference is an error that names the file, the
// line and column (bad JSON) or the JSON path (bad content), and what was expected.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "coroutine.hpp"
#include "limits.hpp"
#include "page_updates.hpp"
#include "periodic_scheduler.hpp"
#include "pool_setting.hpp"
#include "printable_text.hpp"
#include "process_pool.hpp"
#include "work.hpp"

namespace threadlab {

enum class ActionKind : std::uint8_t {
    add_session,
    destroy_session,
    click,
    add_task,
    cancel_task,
    cancel_event,
    resize,
    threading,
    gil,
    start_periodic,
    stop_periodic,
    pause_events,
    one_event_per_session,
    forget_on_session_destroyed,
    poll_runner,
    seed_runner,
    destroy_mode,
    close_tab,
    /// One change of the session's slider (`value`, `release`).
    slide,
    /// A drag through values over time: the parser turns it into one `slide` per value.
    drag,
};

const char* to_string(ActionKind kind);

struct ScenarioAction {
    /// Simulated seconds after the start.
    double at = 0.0;
    ActionKind kind = ActionKind::click;
    /// 1-based scenario session number: sessions are numbered in the order they are created.
    int session = 0;
    WorkSpec work;
    /// click: set for an async click (a coroutine on the event loop), its steps in order.
    std::optional<std::vector<AsyncStepSpec>> async;
    /// click (not async) / add_task: widget changes the work makes as it ends, sent back to the
    /// page as the mode says (page_updates.hpp).
    std::optional<PageUpdatesSpec> updates;
    /// How many times to do it (clicks, tasks, sessions).
    int repeat = 1;
    /// cancel_task: the session's Nth task; cancel_event: the Nth event of the run.
    std::uint64_t target = 0;
    PoolSetting pool;
    bool on = false;
    /// start_periodic / stop_periodic: the callback's name in the file.
    std::string name;
    PeriodicSchedule schedule;
    /// poll_runner: seconds between looks at the queue; 0 waits on the condition variable again.
    double every = 0.0;
    /// destroy_mode: how destroy_session stops runners from then on.
    StopMode stop_mode = StopMode::drain;
    /// slide: the slider's new value; `on` says whether the handle is released with it.
    int value = 0;
    /// slide: the work of the watchers on `value` (`work`) and on `value_throttled` (unset: none).
    std::optional<WorkSpec> release_work;
};

/// What a lesson's run measures to find out which choice it showed (lesson_verdict.hpp).
enum class LessonQuantity : std::uint8_t {
    /// Simulated seconds from the first pool event's submission to the last one's finish.
    events_makespan,
    /// The same for runner tasks.
    tasks_makespan,
    /// Runner threads of destroyed sessions still alive at the end of the run.
    leaked_runners,
    /// The racy counter's value divided by the increments made (1 when none was lost).
    racy_counter_ratio,
    /// Pool events that completed.
    events_completed,
    /// Runner tasks that completed.
    tasks_completed,
    /// The longest time a pool event waited in the queue, in simulated seconds.
    max_event_wait,
    /// The longest time a runner task waited in its session's queue, in simulated seconds.
    max_task_wait,
    /// When the measured session (`session`, required) was destroyed (on_session_destroyed), in
    /// simulated seconds from the start; infinite when it never was.
    session_destroyed_at,
    /// Next-tick callbacks of the page (and `_unhold` callbacks) the event loop ran, of work
    /// submitted in the window (page_updates.hpp).
    page_callbacks,
};

const char* to_string(LessonQuantity quantity);

/// Whether the quantity is read from the trace's spans, so that "from", "until" and "session"
/// can narrow which spans count.
bool measured_from_spans(LessonQuantity quantity);

/// The values of the measured quantity that match one choice: low <= value < high, an unset bound
/// being unbounded; a range whose low equals its high holds exactly that value ([1, 1]: exactly 1).
/// A range no run can reach (e.g. below 0 for a count) stands for a choice that a run cannot show,
/// such as "the program crashes".
struct MeasureRange {
    std::optional<double> low;
    std::optional<double> high;

    bool contains(double value) const;
};

/// The "measure" object of a lesson: see the README's lesson keys.
struct LessonMeasure {
    LessonQuantity quantity = LessonQuantity::events_makespan;
    /// Only spans of work submitted in [from, until) simulated seconds after the start count.
    std::optional<double> from;
    std::optional<double> until;
    /// Only this 1-based scenario session's spans count.
    std::optional<int> session;
    /// One per choice, in the choices' order. When two ranges hold a value, the earlier choice
    /// matches (so [[1, 1], [0, 1], [1, null]] reads exactly 1, below 1, above 1).
    std::vector<MeasureRange> ranges;
};

/// What a lesson adds to its scenario: what to watch, why, the Panel equivalent, and a question
/// for the audience with the answer a quiet machine shows, and what to measure to tell which
/// answer this run showed.
struct LessonText {
    std::string title;
    std::string watch;
    std::string why;
    std::string panel;
    std::string question;
    std::vector<std::string> choices;
    /// The canonical answer, what a quiet machine shows: an index into choices.
    int answer = 0;
    /// Unset for a scenario file whose lesson measures nothing (every built-in lesson has one).
    std::optional<LessonMeasure> measure;
};

struct Scenario {
    std::string name;
    std::string description;
    PoolSetting pool = PoolSetting::automatic();
    double time_scale = 1.0;
    bool gil = false;
    bool one_event_per_session = false;
    /// The user's process pool for work of kind process; unset keeps the World's setting. Either
    /// way a scenario starts with a fresh pool (no process started yet).
    std::optional<ProcessPoolSetting> processes;
    int sessions = 0;
    WorkSpec work{WorkKind::sleep, 1.0, false};
    /// Sorted by time (stable: actions at the same time keep their file order).
    std::vector<ScenarioAction> actions;
    /// Stop after this many simulated seconds; unset: when everything is done.
    std::optional<double> end;
    std::optional<LessonText> lesson;
};

/// Its message quotes the input's own text, made printable (printable_text.hpp).
class ScenarioError : public std::runtime_error {
public:
    explicit ScenarioError(const std::string& message) : std::runtime_error(printable_text(message)) {}
};

/// Parses scenario JSON; `source` names it in error messages. Throws ScenarioError.
Scenario parse_scenario(std::string_view text, const std::string& source);

/// Reads and parses a file. Throws ScenarioError (also for a missing or unreadable file).
Scenario load_scenario_file(const std::string& path);

}  // namespace threadlab
