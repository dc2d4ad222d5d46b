"""What the operator commands do against the deployed stack (search, replay, redrive, users), apart from argparse."""
