"""doc
# not a comment
"""
x = 1  # comment
