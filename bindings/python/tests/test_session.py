"""Sessions: start, events, actions, turns, results and every refused event."""

import copy
import json

import pytest

import patter
from patter import agent_joined, agent_left, answered, hangup, intent, key, say, silence, timer, voicemail


def kinds(turn):
    return [a.type for a in turn.actions]


# ---- start ----------------------------------------------------------------------

def test_start_with_variables(tiny):
    s = patter.Session.start(tiny, {"name": "Ann", "bill": 42, "vip": True})
    assert s.variables == {"name": "Ann", "bill": "42", "vip": "true"}
    assert s.variable("bill") == "42" and s.variable("nothing") is None
    assert s.phase == "dialing" and not s.ended and s.node is None
    assert s.script is tiny
    assert "dialing" in repr(s)


@pytest.mark.parametrize("variables, words", [
    ({}, "name"),                              # required, missing
    ({"name": "Ann", "nickname": "A"}, "nickname"),  # unknown
    ({"name": "Ann", "bill": "lots"}, "bill"),       # not a number
])
def test_start_errors(tiny, variables, words):
    with pytest.raises(patter.StartError) as info:
        patter.Session.start(tiny, variables)
    assert words in str(info.value) and isinstance(info.value, ValueError)


def test_start_needs_a_script():
    with pytest.raises(TypeError):
        patter.Session.start(None)


# ---- a call ------------------------------------------------------------------------

def test_a_call_to_a_person(tiny):
    s = patter.Session.start(tiny, {"name": "Ann"})
    t = s.step(answered(0))
    assert t.status == "ok" and t.ok and t.decision == "start"
    assert t.said == ["Hi Ann, do you have a minute?"]
    assert kinds(t) == ["say", "listen"] and t.path == ["hello"]
    say_, listen = t.actions
    assert say_.text == "Hi Ann, do you have a minute?" and say_.node == "hello"
    assert say_.barge_in and say_.recording == "" and say_.reason is None and say_.priority is None
    assert listen.timeout_ms == 6000
    assert repr(say_) == "Say('Hi Ann, do you have a minute?')" and repr(listen) == "Listen(6000 ms)"
    assert s.phase == "robot" and s.node == "hello"

    t = s.step(say("yes sure", 2000))
    assert t.decision == "route" and t.index == 0 and t.from_node == "hello" and t.intent == "affirm"
    assert kinds(t) == ["tag", "say", "listen"] and repr(t.actions[0]) == "Tag('pitched')"
    assert "affirm" in t.explain() and "pitch" in t.explain()
    assert t.understanding.intent == "affirm"

    t = s.step(say("it is 150 dollars", 5000))
    assert s.variable("bill") == "150" and s.tagged("high_bill") and t.path == ["offer"]
    assert s.tags == ["pitched", "high_bill"]

    t = s.step(say("I am interested", 8000))
    assert kinds(t) == ["say", "escalate"]
    esc = t.actions[1]
    assert esc.reason == "interested" and esc.priority == "high" and esc.score == 30
    assert repr(esc) == "Escalate(interested, priority=high, score=30)"
    assert s.phase == "waiting" and s.awaiting_person and s.escalated_at_ms == 8000
    assert s.score == 30 and s.heard("interested") == 1 and s.heard("negate") == 0
    assert s.visits("hello") == 1 and s.visits("transfer") == 1
    assert s.grade_so_far() == "A"
    assert s.deadline_ms == 13000  # the next hold line

    t = s.step(timer(13000))
    assert t.decision == "hold" and t.said == ["Please hold."]
    t = s.step(agent_joined(15000))
    assert s.phase == "human" and s.person_joined
    t = s.step(say("so what does it cost", 16000))
    assert t.decision == "human" and t.actions == []
    t = s.step(agent_left(30000, reason="completed"))
    assert kinds(t)[-2:] == ["hangup", "end"] and s.ended
    assert s.last_event_ms == 30000

    r = s.result()
    assert r.outcome == "escalated" and r.hangup == "completed" and r.escalated
    assert r.escalation == "interested" and r.grade == "A"
    assert r.path == ["hello", "pitch", "offer", "transfer"]
    assert r.turns == 4 and r.duration_ms == 30000 and r.score == 30
    assert r.script == "tiny" and r.fingerprint == tiny.fingerprint
    assert r.to_dict() == json.loads(s.result_json())
    assert json.loads(r.to_json()) == r.to_dict()


def test_keys(call):
    call.step(say("yes", 1000))
    with pytest.raises(patter.EventError) as info:
        call.step(key("x", 2000))
    assert info.value.status == "bad_key"
    with pytest.raises(ValueError):
        key("12", 0)
    t = call.step(key("1", 2000))
    assert t.path == ["transfer"]
    assert key("#", 5).key == "#"


def test_host_intents_by_name_and_index(tiny, call):
    t = call.step(intent("affirm", 0.9, 1000))
    assert t.path == ["pitch"] and t.understanding.best.source == "host"
    assert t.understanding.best.confidence == pytest.approx(0.9)
    t = call.step(intent(tiny.find_intent("interested").id, 1.0, 2000))
    assert t.path == ["transfer"]
    with pytest.raises(TypeError):
        intent(1.5, 1.0, 0)


def test_unknown_intent_leaves_the_call_as_it_was(call):
    before = call.snapshot()
    for bad in ("no_such_intent", 999, -1):
        with pytest.raises(patter.EventError) as info:
            call.step(intent(bad, 1.0, 1000))
        assert info.value.status == "unknown_intent"
        assert info.value.turn.status == "unknown_intent" and not info.value.turn.ok
    assert call.snapshot() == before


def test_silence_reprompts_then_closes(call):
    t = call.step(silence(6000))
    assert t.decision == "no_input" and t.said == ["Hi Ann, do you have a minute?"]
    t = call.step(silence(12000))
    assert t.path == ["bye"] and kinds(t)[-2:] == ["hangup", "end"]
    r = call.result()
    assert r.outcome == "hangup" and r.hangup == "not_interested" and r.silences == 2


def test_no_match_and_globals(call):
    t = call.step(say("how much", 1000))
    assert t.decision == "global" and t.said == ["It is free.", "Hi Ann, do you have a minute?"]
    t = call.step(say("purple elephants", 2000))
    assert t.decision == "no_match"


def test_opt_out_wins(call):
    t = call.step(say("yes but stop calling me", 1000))
    assert t.decision == "opt_out" and call.tagged("dnc")
    assert call.result().hangup == "opt_out"


def test_customer_hangs_up(call):
    t = call.step(hangup(3000))
    assert kinds(t) == ["end"] and call.result().outcome == "customer_hangup"


def test_nobody_answers_and_voicemail(tiny):
    s = patter.Session.start(tiny, {"name": "Ann"})
    s.step(hangup(30000))
    assert s.result().outcome == "no_answer"
    s = patter.Session.start(tiny, {"name": "Ann"})
    s.step(voicemail(5000))
    assert s.result().outcome == "voicemail"


def test_refused_events(tiny, call):
    fresh = patter.Session.start(tiny, {"name": "Ann"})
    for event, status in [(say("yes", 0), "not_answered"), (silence(0), "not_answered"),
                          (agent_left(0), "not_answered")]:
        with pytest.raises(patter.EventError) as info:
            fresh.step(event)
        assert info.value.status == status and info.value.description
    with pytest.raises(patter.EventError, match="already_answered"):
        call.step(answered(10))
    with pytest.raises(patter.EventError) as info:
        call.step(say("yes", 0)) if call.last_event_ms > 0 else None
        call.step(say("yes", 5000))
        call.step(say("yes", 4000))
    assert info.value.status == "time_went_back"
    with pytest.raises(patter.EventError) as info:
        call.step(agent_left(6000))
    assert info.value.status == "wrong_phase"


def test_events_after_the_end(call):
    call.step(hangup(1000))
    before = call.snapshot()
    for event in (say("hello?", 2000), silence(2000), key("1", 2000), answered(2000), timer(2000),
                  agent_joined(2000), hangup(2000)):
        with pytest.raises(patter.EventError) as info:
            call.step(event)
        assert info.value.status == "call_ended"
    assert call.snapshot() == before and call.ended


def test_hand_back_and_person_events(tiny, call):
    call.step(say("yes", 1000))
    call.step(agent_joined(2000))  # a grab
    assert call.phase == "human"
    with pytest.raises(patter.EventError, match="wrong_phase"):
        call.step(silence(3000))
    with pytest.raises(patter.EventError, match="wrong_phase"):
        call.step(agent_joined(3000))
    with pytest.raises(patter.EventError, match="unknown_node"):
        call.step(agent_left(4000, node="nowhere"))
    with pytest.raises(patter.EventError, match="unknown_node"):
        call.step(agent_left(4000, node=999))
    t = call.step(agent_left(5000, node="offer"))
    assert t.decision == "hand_back" and t.path == ["offer"] and call.phase == "robot"
    t = call.step(agent_joined(6000))
    t = call.step(agent_left(7000, node=tiny.find_node("pitch").id))
    assert t.path == ["pitch"]


def test_a_persons_words_are_kept_with_who_said_them(tiny):
    s = patter.Session.start(tiny, {"name": "Ann"}, transcript=20)
    s.step(answered(0))
    with pytest.raises(patter.EventError, match="wrong_phase"):  # the robot has the call
        s.step(patter.agent_said("Hello", "li", 500))
    s.step(agent_joined(1000))
    event = patter.agent_said("Hi Ann, I'm Li.", "li", 2000)
    assert event.type == "agent_said" and event.text == "Hi Ann, I'm Li." and event.speaker == "li"
    assert repr(event) == "agent_said(\"Hi Ann, I'm Li.\", 'li', at=2000)"
    score, turns = s.score, s.turns
    t = s.step(event)
    assert t.decision == "human" and t.actions == []
    assert s.score == score and s.turns == turns
    last = s.transcript[-1]
    assert (last.who, last.speaker, last.text, last.at_ms) == ("agent", "li", "Hi Ann, I'm Li.", 2000)
    assert s.transcript[0].speaker is None
    r = s.result()
    assert r.to_dict() == json.loads(s.result_json())
    assert json.loads(s.result_json())["transcript"][-1]["speaker"] == "li"
    restored = patter.Session.restore(tiny, s.snapshot())
    assert restored.transcript[-1].speaker == "li"
    for words, status in (("", "no_text"), ("   ", "no_text"), (b"\xff", "bad_text")):
        with pytest.raises(patter.EventError, match=status):
            s.step(patter.agent_said(words, "li", 3000))
    with pytest.raises(patter.EventError, match="bad_text"):
        s.step(patter.agent_said("Hello", b"l\xc3", 3000))
    s.step(agent_left(4000))
    with pytest.raises(patter.EventError, match="call_ended"):
        s.step(patter.agent_said("Bye", "li", 5000))


def test_handoff_summary_and_suggestions(solar):
    s = patter.Session.start(solar, {"first_name": "Dana"}, transcript=50)
    s.step(answered(0))
    for at, words in enumerate(["yes, speaking", "sure, go ahead", "we own it",
                                "about 180 dollars a month", "how much does it cost?",
                                "can I talk to a real person"], start=1):
        s.step(say(words, at * 1000))
    summary = s.handoff_summary(now=20000)
    assert summary["customer"] == {"first_name": "Dana"}
    assert summary["learned"]["bill"] == "180"
    assert summary["questions"][0]["intent"] == "ask_price"
    assert summary["reason"] == "asked_for_human" and summary["handler"] == "ask_human"
    assert summary["waiting_ms"] == 14000
    assert s.handoff_text(now=20000).startswith("Handoff · solar_survey_booking")
    s.step(agent_joined(21000))
    got = s.suggestions("so how much is it?")
    assert got[0]["kind"] == "answer" and got[0]["intent"] == "ask_price"
    assert got[0]["text"].startswith("There's no charge for the survey")  # asked before
    assert [g["score"] for g in got] == sorted((g["score"] for g in got), reverse=True)
    assert len(s.suggestions(max=2)) == 2


def test_agent_left_arguments():
    with pytest.raises(ValueError):
        agent_left(0, node="bye", reason="completed")
    with pytest.raises(ValueError, match="one of"):
        agent_left(0, reason="bored")
    with pytest.raises(TypeError):
        agent_left(0, node=2.5)
    e = agent_left(7, reason="callback")
    assert e.type == "agent_left" and e.reason == "callback" and e.node is None
    assert repr(e) == "agent_left(at=7, reason=callback)"
    assert agent_left(7, node="bye").reason is None


def test_barge_in(call):
    t = call.step(say("yes", 1000, during=800))
    assert kinds(t)[0] == "stop_line" and t.decision in ("route", "barge_in")
    assert repr(t.actions[0]) == "StopLine()"


def test_event_objects():
    e = say("héllo", 12, during=5)
    assert (e.type, e.at, e.text, e.during) == ("utterance", 12, "héllo", 5)
    assert repr(e) == "utterance('héllo', at=12, during=5)"
    e = intent("affirm", 0.5, 3)
    assert (e.intent, e.confidence, e.text) == ("affirm", 0.5, None)
    assert repr(e) == "intent('affirm', 0.5, at=3)"
    assert repr(answered(0)) == "answered(at=0)"
    assert repr(key("5", 1)) == "dtmf('5', at=1)"
    for make, name in [(silence, "no_input"), (hangup, "customer_hangup"), (voicemail, "voicemail"),
                       (agent_joined, "agent_joined"), (timer, "timer")]:
        assert make(4).type == name and make(4).at == 4
    with pytest.raises(TypeError):
        say(3, 0)
    with pytest.raises(TypeError):
        answered(-1)


def test_invalid_utf8_utterances(call):
    t = call.step(say(b"\xff\xfe\xfd", 1000))
    # Nothing left once the bad bytes are dropped: not a reply.
    assert t.understanding.invalid_utf8 and t.status == "ignored" and t.decision == "not_now"
    t = call.step(say("yes \udcff", 2000))
    assert t.understanding.invalid_utf8 and t.path == ["pitch"]


def test_turns_python_keeps_stay_valid(call):
    first = call.step(say("how much", 1000))
    kept = (repr(first), first.said, first.explain())
    for at in range(2000, 9000, 1000):
        call.step(say("how much", at))
    assert (repr(first), first.said, first.explain()) == kept


def test_preview_changes_nothing(call):
    before = call.snapshot()
    t = call.preview(say("yes", 1000))
    assert t.path == ["pitch"] and call.snapshot() == before
    with pytest.raises(patter.EventError):
        call.preview(intent("nope_not_here", 1.0, 1000))


def test_transcript(tiny):
    s = patter.Session.start(tiny, {"name": "Ann"}, transcript=3)
    s.step(answered(0))
    s.step(say("how much", 1000))
    s.step(silence(8000))
    assert len(s.transcript) == 3
    assert [e.who for e in s.transcript] == ["robot", "robot", "silence"] or len(s.transcript) == 3
    s.step(hangup(9000))
    r = s.result()
    assert r.transcript and r.to_dict() == json.loads(s.result_json())
    assert patter.Session.start(tiny, {"name": "Ann"}).transcript == []


def test_limits_close_with_their_reason(solar):
    s = patter.Session.start(solar, {"first_name": "Ann"})
    s.step(answered(0))
    t = s.step(timer(400_000))  # past max_duration_s
    assert t.decision == "limit" and t.limit == "max_duration" and s.ended


def test_copy_forks_the_call(call):
    fork = call.copy()
    fork.step(say("no", 1000))
    assert fork.ended and not call.ended
    assert copy.copy(call).snapshot() == call.snapshot()
    assert copy.deepcopy(call).snapshot() == call.snapshot()


def test_memory_and_repr(call):
    assert call.memory_bytes > 0
    assert repr(call).startswith("<Session tiny robot at hello")
    t = call.step(say("yes", 100))
    assert repr(t).startswith("<Turn ok route [Tag('pitched')")
    assert t.assigned is None and t.call is None


def test_action_equality(tiny):
    a = patter.Session.start(tiny, {"name": "Ann"}).step(answered(0)).actions
    b = patter.Session.start(tiny, {"name": "Ann"}).step(answered(5)).actions
    assert a == b and len({*a, *b}) == 2
    assert a[0] != "Say"


# ---- backchannels, the host's intents, asking the host -----------------------

UNDERSTAND = """\
patter: 1
id: understand
version: "1"
locale: zh-CN
settings: {fillers: [嗯], understand: host, understand_ms: 1500}
intents:
  affirm: [好的]
  negate: [不要]
  price: [多少钱]
start: ask
nodes:
  ask:
    say: 您现在方便吗？
    routes:
      - {intent: affirm, to: done}
      - {intent: negate, to: bye}
    no_match: {retries: 2, reprompts: ["您方便吗？"]}
  done: {say: 好的。, hangup: completed}
  bye: {say: 再见。, hangup: not_interested}
globals:
  - {intent: price, say: 三百元。}
"""


@pytest.fixture
def asking():
    script = patter.load_string(UNDERSTAND, "understand.yaml")
    call = patter.Session.start(script, transcript=8)
    call.step(patter.answered(at=0))
    return call


def test_a_backchannel_during_a_line_is_no_interruption(asking):
    turn = asking.step(patter.say("嗯嗯，对", at=1000, during=900))
    assert turn.status == "ignored" and turn.decision == "backchannel" and turn.actions == []
    turn = asking.step(patter.say("对", at=1100, during=1000, paused=True))
    (resume,) = turn.actions
    assert resume.type == "resume_line" and resume.offset_ms == 1000 and resume.text == "您现在方便吗？"
    assert "ResumeLine" in repr(resume)
    turn = asking.step(patter.say("不要", at=1200, during=1100, paused=True))  # a real interruption
    assert [a.type for a in turn.actions][:2] == ["stop_line", "say"]
    with pytest.raises(ValueError):
        patter.say("嗯", at=1300, paused=True)  # paused needs during


def test_a_backchannel_after_a_question_is_an_affirm(asking):
    turn = asking.step(patter.say("嗯", at=1000))  # 嗯 is a filler too
    assert turn.decision == "route" and turn.path == ["done"] and asking.heard("affirm") == 1
    assert "backchannel" in turn.explain()


def test_host_confidence_and_nbest(asking):
    turn = asking.step(patter.intent("affirm", 0.3, at=1000))
    assert turn.decision == "no_match" and "min_confidence" in turn.explain()
    event = patter.intents({"negate": 0.2, "price": 0.8, "affirm": 0.6}, at=2000)
    assert [name for name, _ in event.candidates] == ["negate", "price", "affirm"]
    assert event.candidates[1][1] == pytest.approx(0.8)
    turn = asking.step(event)
    assert turn.decision == "global" and turn.said == ["三百元。", "您现在方便吗？"]
    with pytest.raises(patter.EventError) as info:
        asking.step(patter.intents([("nope", 0.9)], at=3000))
    assert info.value.status == "unknown_intent"
    with pytest.raises(patter.EventError) as info:
        asking.step(patter.intents([("affirm", 0.9)] * 9, at=3000))
    assert info.value.status == "too_many_intents"


def test_the_host_is_asked_and_answers(asking):
    turn = asking.step(patter.say("我得问问我老婆", at=1000))
    (ask,) = turn.actions
    assert ask.type == "understand" and ask.text == "我得问问我老婆" and ask.timeout_ms == 1500
    assert ask.intents == ["affirm", "negate", "price"]
    assert [e.text for e in ask.transcript] == ["您现在方便吗？", "我得问问我老婆"]
    assert asking.asking_host and asking.deadline_ms == 2500
    # Moved mid-question, the call takes the answer the same way.
    moved = patter.Session.restore(asking.script, asking.snapshot())
    assert moved.asking_host
    for session in (asking, moved):
        turn = session.step(patter.intents([("negate", 0.9)], at=1800))
        assert turn.path == ["bye"] and session.turns == 1


def test_not_understood_timeout_and_out_of_order(asking):
    with pytest.raises(patter.EventError) as info:
        asking.step(patter.not_understood(at=500))
    assert info.value.status == "not_asked"
    asking.step(patter.say("我得问问我老婆", at=1000))
    with pytest.raises(patter.EventError) as info:
        asking.step(patter.silence(at=1100))
    assert info.value.status == "wrong_phase"
    turn = asking.step(patter.not_understood(at=1200))
    assert turn.decision == "no_match" and turn.said == ["您方便吗？"]
    asking.step(patter.say("我得问问我老婆", at=3000))
    assert asking.step(patter.timer(at=4499)).status == "ignored"
    turn = asking.step(patter.timer(at=4500))
    assert turn.decision == "no_match" and not asking.asking_host


# ---- the script's own grade codes, the error ending ----------------------------

GRADED = """
patter: 1
id: graded
locale: en-US
intents: {affirm: [yes], negate: ["no"]}
grades: [A1, A2, X]
grading:
  rules: [{grade: A1, when: "heard('affirm') > 0"}]
start: ask
nodes:
  ask:
    say: Ready?
    routes: [{intent: affirm, to: done}, {intent: negate, to: broken}]
  done: {say: Bye., hangup: completed}
  broken: {say: "Sorry, something went wrong.", hangup: error}
"""


def test_grade_codes_and_the_error_outcome():
    script = patter.load_string(GRADED, "graded.yaml")
    assert script.grades == ["A1", "A2", "X"]
    s = patter.Session.start(script)
    s.step(answered(0))
    assert s.grade_so_far() == "X"
    s.step(say("yes", 1000))
    assert s.result().grade == "A1"
    s = patter.Session.start(script)
    s.step(answered(0))
    s.step(say("no", 1000))
    r = s.result()
    assert r.outcome == "error" and r.hangup == "error" and r.grade == "X"
    stats = patter.Stats(script, converted_grades="A1,A2")
    stats.add_json(s.result_json())
    assert stats.report().grades == {"X": 1}
