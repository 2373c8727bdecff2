from eventwire.records import Article
from eventwire.resources import load_abbreviations
from eventwire.stages.annotate import split_sentences


def test_annotate_offsets_are_exact(seed_docs):
    article = Article(id="000", text=seed_docs["000_34b8d31dad1cf61c"]["text"])
    sentences = split_sentences(article, load_abbreviations())
    assert len(sentences) > 8
    for s in sentences:
        assert article.text[s.start:s.end] == s.text


def test_annotate_abbreviations_do_not_split():
    text = "US Army Col. Ryan Dillon cited 54 strikes. The U.S. forces said on Jan. 9 that J. Smith left."
    sentences = split_sentences(Article(id="x", text=text), load_abbreviations())
    assert [s.text for s in sentences] == ["US Army Col. Ryan Dillon cited 54 strikes.",
                                          "The U.S. forces said on Jan. 9 that J. Smith left."]


def test_annotate_paragraph_lines_split():
    text = "ISIS activity and movements\n9 May 2024 05:44\n\nISIS attacks have increased."
    assert len(split_sentences(Article(id="x", text=text), load_abbreviations())) == 3


def test_annotate_number_with_a_stray_space_is_not_a_sentence_end():
    text = "Over 110 people were arrested in the last 24 hours till 6. 00am yesterday on charges of sabotage."
    assert len(split_sentences(Article(id="x", text=text), load_abbreviations())) == 1
