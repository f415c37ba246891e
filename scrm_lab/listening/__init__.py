"""Social listening over the ``messages`` table: what customers say about brands, and how.

- mentions (``_mentions``): :func:`mention_volume`, :func:`share_of_voice` (a brand's mentions
  over all tracked brands' mentions) and :func:`net_sentiment` ((positive - negative) /
  (positive + negative)), per period, with Wilson intervals;
- sentiment: :func:`lexicon_sentiment` (VADER) and :func:`detect_language` (messages in other
  languages) in ``_lexicon``, :class:`SentimentModel` (a trained linear model saved as plain
  arrays) in ``_model``, :func:`evaluate_sentiment` (the two on the same held-out labelled
  messages) and :func:`evaluate_sentiment_splits` (the same over repeated splits, with their
  spread) in ``_evaluation``;
- the report (``_report``): :func:`select_brands`, :func:`with_sentiment`,
  :func:`brand_periods`, :func:`message_overview`, :func:`message_texts`,
  :func:`negative_mentions`, :func:`largest_spikes` and the sentences
  :func:`data_sentences`, :func:`share_sentences`, :func:`net_sentences`,
  :func:`reason_sentences`, :func:`spike_search_sentences`, :func:`spike_sentences`,
  :func:`evaluation_sentences`, :func:`summary_sentences` (saying what the data cannot show);
- negative mentions (``_spikes``): :func:`complaint_reasons` ranked per brand,
  :func:`detect_spikes` (bursts above the recent level, Poisson upper tail) and
  :func:`spike_messages` (the messages behind each spike, pseudonymized unless
  ``reveal=True``);
- topics (``_topics``): :func:`conversation_topics` (NMF on TF-IDF or LDA on counts, seeded)
  returns :class:`Topics` (top terms, each message's topic, pseudonymized examples, trend
  over time with Wilson intervals); :func:`topic_stability` refits with several seeds and
  matches the topics (Hungarian algorithm on cosine similarity); these two take a pandas
  DataFrame only (the texts are vectorized in memory).

Each counting function (and the report's helpers above) takes the event-level table as a
pandas DataFrame, a DuckDB relation or a Spark DataFrame; the counting runs on that engine and
the small result comes back as pandas. Scoring texts (the lexicon, the model, languages,
topics) reads them in memory, from a pandas table.

Examples
--------
>>> from scrm_lab.datasets import load_dataset
>>> tweets = load_dataset("twitter_airline_sentiment")
>>> share_of_voice(tweets)[["brand", "mentions", "share"]].head(2)
      brand  mentions     share
0  American      2604  0.179772
1     Delta      2222  0.153400
"""

from scrm_lab.listening._evaluation import (
    SentimentEvaluation,
    SentimentSplits,
    evaluate_sentiment,
    evaluate_sentiment_splits,
)
from scrm_lab.listening._lexicon import SENTIMENT_LABELS, detect_language, lexicon_sentiment
from scrm_lab.listening._mentions import FREQS, mention_volume, net_sentiment, share_of_voice
from scrm_lab.listening._model import SentimentModel
from scrm_lab.listening._report import (
    PERIOD_WORDS,
    SENTIMENT_SOURCES,
    START_BASELINE,
    brand_periods,
    confusion_table,
    data_sentences,
    evaluation_sentences,
    has_reasons,
    key_results,
    largest_spikes,
    message_overview,
    message_texts,
    negative_mentions,
    net_sentences,
    reason_sentences,
    select_brands,
    share_sentences,
    spike_search_sentences,
    spike_sentences,
    summary_sentences,
    with_sentiment,
    with_times,
)
from scrm_lab.listening._spikes import (
    SPIKE_COLUMNS,
    complaint_reasons,
    detect_spikes,
    spike_messages,
)
from scrm_lab.listening._topic_stability import STABLE_SIMILARITY, TopicStability, topic_stability
from scrm_lab.listening._topics import TOPIC_METHODS, Topics, conversation_topics

__all__ = [
    "FREQS",
    "PERIOD_WORDS",
    "SENTIMENT_LABELS",
    "SENTIMENT_SOURCES",
    "SPIKE_COLUMNS",
    "STABLE_SIMILARITY",
    "START_BASELINE",
    "SentimentEvaluation",
    "SentimentModel",
    "SentimentSplits",
    "TOPIC_METHODS",
    "TopicStability",
    "Topics",
    "brand_periods",
    "confusion_table",
    "conversation_topics",
    "complaint_reasons",
    "data_sentences",
    "detect_language",
    "detect_spikes",
    "evaluate_sentiment",
    "evaluate_sentiment_splits",
    "evaluation_sentences",
    "has_reasons",
    "key_results",
    "largest_spikes",
    "message_overview",
    "message_texts",
    "lexicon_sentiment",
    "mention_volume",
    "negative_mentions",
    "net_sentences",
    "net_sentiment",
    "reason_sentences",
    "select_brands",
    "share_of_voice",
    "share_sentences",
    "spike_messages",
    "spike_search_sentences",
    "spike_sentences",
    "summary_sentences",
    "topic_stability",
    "with_sentiment",
    "with_times",
]
