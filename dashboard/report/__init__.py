"""季度汇报材料: the quarterly meeting deck (editable PPTX with native charts) and its PDF.

content.build_deck(quarter_end, chain_id, park_id) → layout.Deck (one content model);
pptx_deck.render(deck) → PPTX bytes; pdf.render(deck) → PDF bytes; check.check_pptx(path) → problems.
"""
