#!/usr/bin/env python3
"""Per-turn cost of a text utterance from Python: patter against the plain-Python way.

The same call script three ways, in one run, on the same utterances:

  patter        session.step(patter.say(text, at)) and reading turn.actions:
                normalisation, phrase matching with word boundaries and
                negation, routes, global handlers, the line rendered with the
                caller's name, through the bindings.
  transitions   the plain-Python way: `re` keyword matching over the same
                phrases (one compiled alternation per intent, tried in
                order) and a pytransitions Machine whose on_enter callbacks
                render the same lines (python3-transitions).
  bare trigger  a pytransitions trigger alone, no matching, no callbacks:
                the floor of that approach.

    PYTHONPATH=build/bindings/python python3 bench/python_turn_bench.py [--turns N] [--reps R]

Prints the median per-turn time of each over R repetitions of N turns, and
the ratios. The target: a full patter turn at least 3x faster than a bare
pytransitions trigger.
"""

import argparse
import re
import statistics
import sys
import time

import patter

try:
    from transitions import Machine
except ImportError:  # Debian: python3-transitions
    Machine = None

# The conversation never ends: it loops greet -> pitch -> (objection ->) greet.
INTENTS = {
    "stop": ["stop calling", "do not call", "take me off"],
    "not_interested": ["not interested", "no thanks", "no thank you"],
    "price": ["how much", "price", "cost"],
    "affirm": ["yes", "sure", "okay", "go ahead", "of course"],
    "negate": ["no", "nope", "not now"],
    "interested": ["interested", "sounds good", "tell me more"],
}
LINES = {
    "greet": "Hi {name}, this is Acme Energy. Do you have a minute?",
    "pitch": "Great, {name}. We can cut your power bill by a third. Interested?",
    "objection": "I understand, {name}. It is free to check. Shall I tell you more?",
}
ROUTES = [  # source, intent, target
    ("greet", "stop", "bye"), ("greet", "affirm", "pitch"), ("greet", "negate", "objection"), ("greet", "not_interested", "objection"),
    ("pitch", "interested", "greet"), ("pitch", "affirm", "greet"), ("pitch", "not_interested", "objection"),
    ("pitch", "negate", "objection"),
    ("objection", "affirm", "pitch"), ("objection", "interested", "pitch"), ("objection", "negate", "greet"),
    ("objection", "not_interested", "greet"),
]
PRICE_ANSWER = "It is free to check, {name}."
UTTERANCES = [
    "yes sure, go ahead",
    "hmm, how much does it cost?",
    "well I'm not interested really",
    "okay, tell me more",
    "yeah that sounds good",
    "no, not now",
    "sure",
    "I don't know, what is this about",
]


def script_yaml():
    out = ["patter: 1", "id: bench_loop", 'version: "1"', "locale: en-US", "start: greet",
           "variables:", "  name: {type: string, required: true}", "intents:"]
    for name, phrases in INTENTS.items():
        out.append(f"  {name}: [{', '.join(repr(p) for p in phrases)}]")
    out.append("nodes:")
    for node, line in LINES.items():
        out += [f"  {node}:", f"    say: {line!r}", "    routes:"]
        out += [f"      - {{intent: {i}, to: {t}}}" for s, i, t in ROUTES if s == node]
        out.append("    no_match: {retries: 10, then: greet}")
    out += ["  bye:", "    say: Sorry to bother you.", "    hangup: opt_out"]
    out += ["globals:", "  - intent: price", f"    say: {PRICE_ANSWER!r}", "  - intent: stop", "    goto: bye"]
    return "\n".join(out) + "\n"


# ---- patter --------------------------------------------------------------------

def patter_runner(collect=None):
    script = patter.load_string(script_yaml(), "bench_loop.yaml")
    session = patter.Session.start(script, {"name": "Ann"})
    session.step(patter.answered(0))
    say = patter.say
    clock = [0]

    def run(texts):
        at = clock[0]
        step = session.step
        if collect is not None:
            for text in texts:
                at += 1000
                collect.append(step(say(text, at)).said)
        else:
            for text in texts:
                at += 1000
                step(say(text, at)).actions
        clock[0] = at

    return run


# ---- the plain-Python way ------------------------------------------------------

class Call:
    def __init__(self, name):
        self.name = name
        self.said = []


def transitions_runner(collect=None):
    # One alternation per intent, longest phrases first, on word boundaries;
    # intents tried in the order of INTENTS (the opt-out and refusals first).
    matchers = [(name, re.compile(r"\b(?:" + "|".join(re.escape(p) for p in sorted(ps, key=len, reverse=True))
                                  + r")\b"))
                for name, ps in INTENTS.items()]
    call = Call("Ann")
    machine = Machine(model=call, states=list(LINES) + ["bye"], initial="greet", auto_transitions=False,
                      ignore_invalid_triggers=True)
    for source, intent, target in ROUTES:
        machine.add_transition(intent, source, target)
    machine.add_transition("stop", "*", "bye")
    for state, line in LINES.items():
        machine.get_state(state).add_callback("enter", lambda line=line: call.said.append(line.format(name=call.name)))
    # The global answer: say it, stay, and repeat the node's line.
    machine.add_transition("price", list(LINES), None,
                           after=lambda: call.said.extend((PRICE_ANSWER.format(name=call.name),
                                                           LINES[call.state].format(name=call.name))))

    def run(texts):
        trigger = call.trigger
        for text in texts:
            call.said = []
            lowered = text.lower()
            for name, rx in matchers:
                if rx.search(lowered):
                    trigger(name)
                    break
            else:  # not understood: repeat the line
                call.said.append(LINES[call.state].format(name=call.name))
            if collect is not None:  # the actions, as the host would read them
                collect.append(call.said)

    return run


def bare_trigger_runner():
    class Model:
        pass

    model = Model()
    machine = Machine(model=model, states=["a", "b"], initial="a", auto_transitions=False)
    machine.add_transition("go", "a", "b")
    machine.add_transition("go", "b", "a")

    def run(texts):
        trigger = model.trigger
        for _ in texts:
            trigger("go")

    return run


def measure(run, texts, reps):
    run(texts[:1000])  # warm up
    per_turn = []
    for _ in range(reps):
        t0 = time.perf_counter_ns()
        run(texts)
        per_turn.append((time.perf_counter_ns() - t0) / len(texts))
    return statistics.median(per_turn), min(per_turn), max(per_turn)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=40000)
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--check", action="store_true", help="exit 1 unless the 3x target is met")
    args = parser.parse_args()

    texts = [UTTERANCES[i % len(UTTERANCES)] for i in range(args.turns)]
    runners = [("patter full turn", patter_runner())]
    if Machine is None:
        print("pytransitions is not installed (Debian: python3-transitions): patter alone", file=sys.stderr)
    else:
        runners += [("re + transitions full turn", transitions_runner()),
                    ("bare transitions trigger", bare_trigger_runner())]

    if Machine is not None:
        # The same workload: both say the same lines to the same replies.
        a, b = [], []
        patter_runner(a)(UTTERANCES * 3)
        transitions_runner(b)(UTTERANCES * 3)
        if a != b:
            print("the two ways disagree:", a, b, sep="\n", file=sys.stderr)
            return 1

    print(f"patter {patter.__version__}, Python {sys.version.split()[0]}, "
          f"{args.turns} turns x {args.reps} repetitions")
    results = {}
    for name, run in runners:
        med, lo, hi = measure(run, texts, args.reps)
        results[name] = med
        print(f"  {name:<28} median {med / 1000:7.2f} us/turn   (min {lo / 1000:.2f}, max {hi / 1000:.2f})")
    if Machine is None:
        return 0
    p = results["patter full turn"]
    full = results["re + transitions full turn"] / p
    bare = results["bare transitions trigger"] / p
    print(f"  patter full turn is {full:.1f}x faster than re + transitions, {bare:.1f}x faster than a bare trigger")
    if args.check and bare < 3:
        print("  below the 3x target", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
