"""Invented names: common given names and surnames paired at random, so no name is a record.

Worker names use the same lists; everything the generator writes is synthetic.
"""

from __future__ import annotations

import random

GIRLS = (
    "Olivia Amelia Isla Ava Mia Ivy Lily Isabella Sophia Grace Freya Willow Florence Emily "
    "Ella Poppy Evie Elsie Charlotte Evelyn Sienna Aria Daisy Phoebe Sofia Alice Harper Matilda "
    "Ruby Maya Aisha Fatima Zara Maryam Hafsa Amira Layla Nia Imani Chloe Jessica Holly Leah "
    "Megan Courtney Jade Paige Shannon Kayla Tia Amber Lacey Skye Niamh Erin Roxy Kiera"
).split()
BOYS = (
    "Noah Oliver George Arthur Muhammad Leo Harry Oscar Archie Henry Theodore Freddie Jack "
    "Charlie Theo Alfie Jacob Thomas Finley Arlo William Lucas Roman Tommy Isaac Teddy Ibrahim "
    "Yusuf Ali Omar Hamza Zain Ayaan Kai Tyler Kyle Connor Reece Liam Mason Jayden Riley Ethan "
    "Dylan Callum Bradley Lewis Jordan Kieran Declan Ryan Nathan Aaron Logan Kacper Mateo Elijah"
).split()
SURNAMES = (
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Wright Robinson Thompson "
    "Evans Walker White Roberts Green Hall Thomas Clarke Jackson Wood Harris Edwards Turner "
    "Martin Cooper Hill Ward Hughes Moore Clark King Harrison Lewis Baker Lee Allen Morris "
    "Khan Scott Watson Davis Parker James Bennett Young Phillips Richardson Mitchell Bailey "
    "Carter Cook Singh Shaw Bell Collins Morgan Kelly Begum Miller Cox Hussain Marshall "
    "Simpson Price Anderson Adams Wilkinson Ali Ahmed Foster Ellis Murphy Chapman Mason Gray "
    "Richards Webb Griffiths Hunt Palmer Campbell Holmes Mills Rogers Barnes Knight Matthews "
    "Barker Powell Stevens Kaur Fisher Butler Dixon Russell Harvey Pearson Graham Nowak Okafor"
).split()


def child_name(rng: random.Random, sex: str) -> tuple[str, str]:
    given = rng.choice(GIRLS if sex == "F" else BOYS if sex == "M" else GIRLS + BOYS)
    return given, rng.choice(SURNAMES)


def worker_name(rng: random.Random) -> str:
    return f"{rng.choice(GIRLS + BOYS)} {rng.choice(SURNAMES)}"
