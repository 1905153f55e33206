"""Host data: fetch actions and data events, variables and times in the result, voicemail."""

import json

import pytest

import patter
from patter import answered, data, say, timer, voicemail

ORDER = """patter: 1
id: order
locale: en-US
settings:
  time_zone: Asia/Shanghai
variables:
  order_id: {type: string, default: "A7"}
  state: {type: string}
  vip: {type: bool, default: false, host_settable: true}
  callback: {type: time}
voicemail: "Hi, this is Acme about order {order_id}."
intents:
  yes: [yes]
  later:
    patterns: ["(?<callback>tomorrow at \\\\d+ pm)"]
start: hello
nodes:
  hello:
    say: "Shall I check order {order_id}?"
    routes:
      - {intent: yes, to: check}
      - {intent: later, to: bye}
  check:
    say: "One moment."
    fetch:
      name: order_status
      with: {order: "{order_id}"}
      routes:
        - {when: "state == 'shipped'", to: bye}
      timeout: bye
  bye:
    say: "Goodbye."
    hangup: completed
"""

# Tuesday 2026-12-01 10:00 in Shanghai, as the host's clock.
NOW = 1_796_090_400_000


def test_fetch_action_and_its_answer():
    script = patter.load_string(ORDER)
    s = patter.Session.start(script)
    s.step(answered(NOW))
    t = s.step(say("yes", NOW + 1000))
    fetch = t.actions[-1]
    assert fetch.type == "fetch" and fetch.text == "order_status"
    assert fetch.fetch == 1 and fetch.arguments == {"order": "A7"} and fetch.timeout_ms == 3000
    assert "Fetch('order_status'" in repr(fetch)
    assert s.fetching and s.fetch_id == 1
    with pytest.raises(patter.EventError) as refused:
        s.step(data({"state": "shipped"}, NOW + 1200, fetch=2))
    assert refused.value.status == "not_fetching"
    t = s.step(data({"state": "shipped"}, NOW + 1500, fetch=fetch.fetch))
    assert t.ok and t.decision == "fetched" and s.node == "bye"
    r = s.result()
    assert r.variables["state"] == "shipped" and r.variables["vip"] is False
    assert "variables" in r.to_dict() and "times" not in r.to_dict()


def test_failed_fetch_and_timeout_take_timeout():
    script = patter.load_string(ORDER)
    s = patter.Session.start(script)
    s.step(answered(NOW))
    s.step(say("yes", NOW + 1000))
    t = s.step(data({}, NOW + 1100, fetch=1, failed=True))
    assert t.decision == "fetch_failed" and s.node == "bye"
    s = patter.Session.start(script)
    s.step(answered(NOW))
    s.step(say("yes", NOW + 1000))
    t = s.step(timer(s.deadline_ms))
    assert t.decision == "fetch_timeout"


def test_host_settable_variables_and_times():
    script = patter.load_string(ORDER)
    s = patter.Session.start(script)
    assert s.step(data({"vip": True}, NOW)).ok
    with pytest.raises(patter.EventError) as refused:
        s.step(data({"state": "x"}, NOW))
    assert refused.value.status == "not_settable"
    s.step(answered(NOW))
    s.step(say("tomorrow at 3 pm", NOW + 1000))
    r = s.result()
    assert r.variables["vip"] is True
    assert r.variables["callback"] == "tomorrow at 3 pm"
    assert r.times == {"callback": 1_796_194_800_000}
    assert json.loads(s.result_json())["times"] == r.times


def test_voicemail_message():
    script = patter.load_string(ORDER)
    s = patter.Session.start(script)
    t = s.step(voicemail(NOW))
    assert [a.type for a in t.actions] == ["say", "hangup", "end"]
    assert t.actions[0].text == "Hi, this is Acme about order A7." and not t.actions[0].barge_in
