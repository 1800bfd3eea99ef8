"""A small real training script in plain Python (standard library only): logistic regression on
polynomial features, trained with mini-batch SGD and L2 regularisation to separate two noisy
concentric rings, on data it generates itself. It logs the validation loss after every epoch through
broom's Python client.

    python3 train.py --lr 0.5 --epochs 30       runs it on its own (no sweep: the config is the defaults)
    broom agent <sweep-id>                      runs it with the sweep's values (see sweep.yaml)

As with W&B, the agent passes the values as --name=value arguments too; argparse reads them into the
defaults, and broom.init merges the sweep's values over them (the sweep wins either way).
"""
import argparse
import math
import os
import random
import sys

try:
    import broom
except ImportError:  # not installed (pip install packages/sdk-python): use the copy in this repository
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "packages", "sdk-python"))
    import broom

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--lr", type=float, default=0.1)
parser.add_argument("--epochs", type=int, default=30)
parser.add_argument("--batch_size", type=int, default=32)
parser.add_argument("--l2", type=float, default=1e-4)
parser.add_argument("--degree", type=int, default=2, help="degree of the polynomial features")
parser.add_argument("--seed", type=int, default=0)
args, _unknown = parser.parse_known_args()

run = broom.init(config=vars(args))
config = run.config


def rings(n, noise, rng):
    """Points on two rings (radius 1: class 0, radius 2: class 1) with Gaussian noise."""
    data = []
    for i in range(n):
        label = i % 2
        angle = rng.uniform(0, 2 * math.pi)
        radius = 1.0 + label + rng.gauss(0, noise)
        data.append(((radius * math.cos(angle), radius * math.sin(angle)), label))
    return data


def features(point, degree):
    """All monomials x^i y^j with 1 <= i + j <= degree (no constant: the bias is separate)."""
    x, y = point
    return [x ** i * y ** (d - i) for d in range(1, degree + 1) for i in range(d + 1)]


def sigmoid(z):
    if z < -30:
        return 1e-13
    return 1.0 / (1.0 + math.exp(-z))


def loss_and_accuracy(w, b, data, degree):
    total, correct = 0.0, 0
    for point, label in data:
        p = sigmoid(sum(wi * fi for wi, fi in zip(w, features(point, degree))) + b)
        p = min(max(p, 1e-7), 1 - 1e-7)
        total -= label * math.log(p) + (1 - label) * math.log(1 - p)
        correct += (p >= 0.5) == (label == 1)
    return total / len(data), correct / len(data)


train = rings(600, 0.3, random.Random(1))
val = rings(300, 0.3, random.Random(2))
rng = random.Random(1000 + config.seed)
w = [rng.gauss(0, 0.01) for _ in features((0.0, 0.0), config.degree)]
b = 0.0

for epoch in range(1, config.epochs + 1):
    rng.shuffle(train)
    for start in range(0, len(train), config.batch_size):
        batch = train[start:start + config.batch_size]
        gw = [0.0] * len(w)
        gb = 0.0
        for point, label in batch:
            f = features(point, config.degree)
            err = sigmoid(sum(wi * fi for wi, fi in zip(w, f)) + b) - label
            for k, fk in enumerate(f):
                gw[k] += err * fk
            gb += err
        step = config.lr / len(batch)
        w = [wi - step * gi - config.lr * config.l2 * wi for wi, gi in zip(w, gw)]
        b -= step * gb
    train_loss, _ = loss_and_accuracy(w, b, train, config.degree)
    val_loss, val_acc = loss_and_accuracy(w, b, val, config.degree)
    if math.isnan(val_loss) or math.isinf(val_loss):
        val_loss = float("inf")
    broom.log({"epoch": epoch, "train_loss": train_loss, "val_loss": val_loss, "val_acc": val_acc})

broom.finish()
print("lr=%.3g degree=%d epochs=%d: val_loss %.4f, val_acc %.1f%%" % (config.lr, config.degree, config.epochs, val_loss, val_acc * 100))
