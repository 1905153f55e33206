"""patter.find_time: a time the customer named, on the host's clock."""
import datetime

import pytest

import patter

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
# Tuesday 2026-12-01 10:00 in Shanghai
NOW = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=SHANGHAI)


def test_a_chinese_callback_time():
    text = "那你明天下午三点半再打吧"
    t = patter.find_time(text, NOW, "Asia/Shanghai")
    assert t.at == datetime.datetime(2026, 12, 2, 15, 30, tzinfo=SHANGHAI)
    assert t.at.tzinfo is not None
    assert t.grain == "minute"
    assert text[t.begin:t.end] == "明天下午三点半"  # character offsets, as Python counts


def test_an_english_time_and_the_clock_in_milliseconds():
    now_ms = int(NOW.timestamp() * 1000)
    t = patter.find_time("call me tomorrow at 3 pm", now_ms, "Asia/Shanghai")
    assert t.at == datetime.datetime(2026, 12, 2, 15, 0, tzinfo=SHANGHAI)
    assert t.grain == "hour"


def test_no_time_named():
    assert patter.find_time("我一点都不感兴趣", NOW, "Asia/Shanghai") is None


def test_bad_clock_and_zone_are_refused():
    with pytest.raises(ValueError, match="time zone"):
        patter.find_time("明天", datetime.datetime(2026, 12, 1, 10), "Asia/Shanghai")
    with pytest.raises(ValueError, match="unknown time zone"):
        patter.find_time("明天", NOW, "Mars/Olympus")
    with pytest.raises(TypeError):
        patter.find_time("明天", "now", "Asia/Shanghai")
