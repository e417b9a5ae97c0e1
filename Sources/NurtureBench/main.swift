print("nurture-bench: not yet written")
