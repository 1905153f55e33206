#!/usr/bin/env python3
"""An asyncio dialer: three robots call simulated customers under one agent.

Each robot is a task that dials its customers one after another through a
patter Desk. The agent, Li, supervises the three robots: a listen-in task
prints every call live and, the moment a customer shows interest (or asks
about money), Li grabs that call, reads the script's suggestion for what to
say, talks for a while and closes the call. Calls the script escalates by
itself go to Li when free, or wait in the queue.

    PYTHONPATH=build/bindings/python python3 examples/python/dialer.py [--brief]

--brief runs with almost no pauses (it is also a test).
"""

import argparse
import asyncio
import pathlib
import random

import patter

HERE = pathlib.Path(__file__).resolve().parent
SCRIPT = HERE.parent / "scripts" / "appointment.en-US.yaml"

# What each simulated customer says, in turn; None is silence.
CUSTOMERS = {
    "robot-1": [
        ("Ann", ["yes speaking", "sure go ahead", "I'm interested, how does it work?", "we own it"]),
        ("Bob", ["yes", "not interested", "no thanks", "no"]),
    ],
    "robot-2": [
        ("Cy", [None, None, None]),
        ("Di", ["who is this", "stop calling me"]),
    ],
    "robot-3": [
        ("Ed", ["yes", "sure", "yes I own it", "about 200 dollars a month", "lots of sun"]),
        ("Flo", ["yes", "can I finance it with a loan?"]),
    ],
}

INTEREST = {"interested", "ask_financing", "ask_price", "tell_bill"}
AGENT = "li"


class Dialer:
    def __init__(self, pace):
        self.pace = pace
        self.script = patter.load_file(SCRIPT)
        self.desk = patter.Desk(on_call_ended=self.ended, on_assigned=self.assigned)
        self.desk.add_agent(AGENT, capacity=3)
        self.subs = {}    # call id -> (customer, Subscription)
        self.done = asyncio.Event()
        self.results = []

    # ---- desk callbacks (run inside desk calls) -----------------------------
    def ended(self, call, result):
        self.results.append((call, result))

    def assigned(self, agent, call):
        print(f"  >> call {call} given to {agent} (the script escalated it)")
        asyncio.get_running_loop().create_task(self.talk(call, grabbed=False))

    # ---- a robot dials its customers one after another ---------------------
    async def robot(self, name, customers):
        for customer, replies in customers:
            opened = self.desk.open_call(self.script, {"first_name": customer}, agent=AGENT)
            call = opened.id
            self.subs[call] = (customer, self.desk.listen(call))
            print(f"{name} dials {customer} (call {call}, supervised by {opened.agent})")
            now = 0
            self.desk.step(call, patter.answered(now))
            for reply in replies:
                await asyncio.sleep(self.pace * random.uniform(0.5, 1.5))
                info = self.desk.call(call)
                if info is None or info.with_agent or info.phase != "robot":
                    break  # ended, or a person has it now
                now = max(now, info_time(self.desk, call)) + 3000
                event = patter.silence(now) if reply is None else patter.say(reply, now)
                try:
                    self.desk.step(call, event)
                except patter.EventError as e:  # e.g. silence once a person has the call
                    print(f"  {name}: {e.status}")
                    break
            else:
                if self.desk.call(call) and not self.desk.call(call).with_agent:
                    self.desk.step(call, patter.hangup(now + 2000))  # the customer hangs up
            while self.desk.call(call) is not None:  # a person is on it: wait for them
                await asyncio.sleep(self.pace)

    # ---- Li, listening in and grabbing ------------------------------------------
    async def listen_in(self):
        while not self.done.is_set() or self.subs:
            for call, (customer, sub) in list(self.subs.items()):
                for ev in sub.poll():
                    print(f"  [call {call} {customer}] {describe(ev)}")
                    if (ev.type == "customer_said" and ev.intent in INTEREST
                            and (self.desk.call(call) or None) and not self.desk.call(call).with_agent):
                        self.grab(call, ev.at_ms + 500)
                if sub.closed:
                    del self.subs[call]
            await asyncio.sleep(self.pace / 4)

    def grab(self, call, at):
        try:
            self.desk.grab(AGENT, call, at)
        except patter.DeskError as e:  # busy on another call, or lost the race
            print(f"  >> {AGENT} could not grab call {call}: {e.status}")
            return
        print(f"  >> {AGENT} grabbed call {call}")
        asyncio.get_running_loop().create_task(self.talk(call, grabbed=True))

    async def talk(self, call, grabbed):
        hint = self.desk.assist(call)
        if hint and hint.lines:
            print(f"  >> suggestion for {AGENT}: {hint.lines[0].text!r} (grade so far {hint.grade})")
        await asyncio.sleep(self.pace * 2)
        info = self.desk.call(call)
        if info is not None:
            self.desk.finish(AGENT, call, info_time(self.desk, call) + 60000, reason="completed")

    async def run(self):
        listener = asyncio.create_task(self.listen_in())
        await asyncio.gather(*(self.robot(n, c) for n, c in CUSTOMERS.items()))
        self.done.set()
        await listener
        print("\nresults:")
        for call, r in sorted(self.results, key=lambda x: x[0]):
            print(f"  call {call}: {r.outcome:<16} grade {r.grade}  {' > '.join(r.path)}")
        c = self.desk.counters
        print(f"desk: {c.calls_opened} calls, {c.raised} escalations raised, {c.grabs} grabbed, "
              f"{c.queued} queued")
        s = self.desk.stats(AGENT)
        print(f"{AGENT}: supervised {s.calls_supervised}, escalations {s.escalations}, grabs {s.grabs}")


def info_time(desk, call):
    session = desk.session(call)
    return session.last_event_ms if session else 0


def describe(ev):
    if ev.type == "robot_said":
        return f"robot: {ev.text}"
    if ev.type == "customer_said":
        return f"customer: {ev.text}" + (f"  ({ev.intent})" if ev.intent else "")
    if ev.type == "joined":
        return f"{ev.agent} joined"
    return f"{ev.type} {ev.text}".rstrip()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--brief", action="store_true", help="no pauses (for tests)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    random.seed(args.seed)
    asyncio.run(Dialer(pace=0.002 if args.brief else 0.4).run())


if __name__ == "__main__":
    main()
