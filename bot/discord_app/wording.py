"""How Discord members do what the core's messages ask of them."""

GOAL_COMMAND = "`/roadmap goal`"
