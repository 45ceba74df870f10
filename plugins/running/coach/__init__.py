"""The running coach: its engine (check-ins, run reviews, weekly plans and reviews, chat),
the facts, pictures and sections it builds from the running analytics and plans, its chat
tools and intents, the safety rules for pain and illness, and the offline composer.

Moved here from ``momentum.core.coach`` (issue 18); core keeps what every coach has.
"""
