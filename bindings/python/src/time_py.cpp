// patter.find_time(text, now, time_zone): a time the customer named
// (patter/time_mention.hpp), with an aware datetime for the clock and the
// answer, and character offsets into the text.
#include <patter/time_mention.hpp>

#include "common.hpp"

namespace patter::python {
namespace {

std::int64_t now_arg(const py::handle& now) {
  if (py::isinstance<py::int_>(now) && !py::isinstance<py::bool_>(now))
    return now.cast<std::int64_t>();
  py::object datetime = py::module_::import("datetime").attr("datetime");
  if (!py::isinstance(now, datetime))
    throw py::type_error("now is a datetime with a time zone, or milliseconds since 1970 UTC");
  if (now.attr("tzinfo").is_none())
    throw py::value_error(
        "now has no time zone: give an aware datetime (datetime.now(timezone.utc)), so the "
        "host's clock is not guessed");
  return static_cast<std::int64_t>(now.attr("timestamp")().cast<double>() * 1000.0);
}

std::string_view grain_name(TimeGrain g) {
  switch (g) {
    case TimeGrain::day: return "day";
    case TimeGrain::part_of_day: return "part_of_day";
    case TimeGrain::hour: return "hour";
    case TimeGrain::minute: return "minute";
  }
  return "day";
}

std::size_t characters(std::string_view s) {
  std::size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace

void init_time(py::module_& m) {
  m.def(
      "find_time",
      [](const py::handle& text, const py::handle& now, const std::string& time_zone) {
        const std::string t = text_arg(text);
        const std::int64_t now_ms = now_arg(now);
        if (!is_time_zone(time_zone))
          throw py::value_error("unknown time zone '" + time_zone +
                                "': give an IANA name such as 'Asia/Shanghai' or 'UTC'");
        const auto found = find_time(t, now_ms, time_zone);
        if (!found) return py::object(py::none());
        py::module_ dt = py::module_::import("datetime");
        py::object at = dt.attr("datetime")
                            .attr("fromtimestamp")(static_cast<double>(found->utc_ms) / 1000.0,
                                                   dt.attr("timezone").attr("utc"));
        const std::string_view sv(t);
        return pylayer("TimeMention")(at, to_py(grain_name(found->grain)),
                                      characters(sv.substr(0, found->begin)),
                                      characters(sv.substr(0, found->end)));
      },
      py::arg("text"), py::arg("now"), py::arg("time_zone"),
      "The first time named in normalised text (Understanding.normalized), resolved against "
      "`now` (an aware datetime, or ms since 1970 UTC) in `time_zone` (IANA); None when no "
      "time is named.");
}

}  // namespace patter::python
