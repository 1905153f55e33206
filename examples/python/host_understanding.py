#!/usr/bin/env python3
"""A host's own classifier answers the script's `understand` questions.

        reply ──▶ patter's matcher ──found──▶ route
                        │ nothing
                        ▼
            Understand(text, intents) ──▶ naive Bayes ──▶ patter.intents({...}) ──▶ route

The script says `understand: host`: when its phrases find nothing (its own
example fallback is off: `similarity_threshold: 1`), the
session asks the host. This dialer trains a character n-gram naive Bayes
classifier at start-up on the script's own phrases and examples, and answers
each question with its n-best list (or `not_understood`).

    PYTHONPATH=build/bindings/python python3 examples/python/host_understanding.py
"""

import collections
import math

import patter

SCRIPT = """
patter: 1
id: solar
version: "1"
locale: en-US
settings: {understand: host, understand_ms: 1500, min_confidence: 0.5, similarity_threshold: 1}
intents:
  interested: {phrases: [interested, tell me more],
               examples: [that sounds good, sounds great to me, I would like to hear about it, go on then]}
  not_interested: {phrases: [not interested, no thanks],
                   examples: [we do not need that, I am fine thank you, nah we are good, not for us]}
  callback_later: {phrases: [call me later, call back],
                   examples: [try me tomorrow, ring me another time, I am at work right now, next week maybe]}
start: pitch
nodes:
  pitch:
    say: We install solar panels with no money down. Would that interest you?
    routes:
      - {intent: interested, to: book}
      - {intent: not_interested, to: bye}
      - {intent: callback_later, to: later}
    no_match: {retries: 1, then: bye}
  book: {say: "Wonderful, a colleague will call you.", escalate: interested}
  later: {say: "Of course, we will call again.", hangup: callback}
  bye: {say: "Thank you, goodbye.", hangup: not_interested}
"""


class NaiveBayes:
    """Multinomial naive Bayes over character 2- to 4-grams of the words."""

    def __init__(self, samples):
        self.counts = collections.defaultdict(collections.Counter)
        for label, text in samples:
            self.counts[label].update(self.features(text))
        self.vocabulary = {f for c in self.counts.values() for f in c}

    @staticmethod
    def features(text):
        padded = f" {' '.join(text.lower().split())} "
        return [padded[i:i + n] for n in (2, 3, 4) for i in range(len(padded) - n + 1)]

    def rank(self, text, labels):
        """[(label, probability)] best first, over `labels` only."""
        scores = {}
        for label in labels:
            c, total = self.counts[label], sum(self.counts[label].values())
            scores[label] = sum(math.log((c[f] + 1) / (total + len(self.vocabulary))) for f in self.features(text))
        top = max(scores.values())
        weights = {k: math.exp(v - top) for k, v in scores.items()}
        norm = sum(weights.values())
        return sorted(((k, w / norm) for k, w in weights.items()), key=lambda kv: -kv[1])


def train(script):
    samples = [(i.name, text) for i in script.intents for text in i.phrases + i.examples]
    return NaiveBayes(samples)


def call(script, model, replies):
    """One call; returns where it ended and what the classifier answered."""
    session = patter.Session.start(script)
    now, answers = 0, []
    turn = session.step(patter.answered(at=now))
    for words in replies:
        now += 4000
        turn = session.step(patter.say(words, at=now))
        for action in turn.actions:
            if action.type != "understand":
                continue
            ranked = model.rank(action.text, action.intents)[:3]
            answers.append((action.text, ranked[0]))
            now += 200  # the classifier's time
            event = patter.intents(ranked, at=now) if ranked[0][1] >= 0.5 else patter.not_understood(at=now)
            turn = session.step(event)
        if session.ended or session.phase == "waiting":
            break
    return session.node, turn.decision, answers


def main():
    script = patter.load_string(SCRIPT, "solar.yaml")
    model = train(script)
    customers = {
        "Ann": (["that all sounds pretty good actually"], "book"),
        "Bob": (["nah, we are fine for now"], "bye"),
        "Cy": (["I'm at work, ring me tomorrow"], "later"),
    }
    for name, (replies, expected) in customers.items():
        node, decision, answers = call(script, model, replies)
        for text, (label, p) in answers:
            print(f"{name}: {text!r} -> classifier: {label} ({p:.2f})")
        print(f"{name}: the call went to {node} ({decision})")
        assert answers, f"{name}: the matcher understood {replies!r}; the classifier was never asked"
        assert node == expected, f"{name}: expected {expected}, the call went to {node}"
    print("every call routed by the classifier's answer")


if __name__ == "__main__":
    main()
