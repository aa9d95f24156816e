# Two commands set up everything: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install eval bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,hf]'
	touch $(STAMP)

install: $(STAMP)

## Analyse the bundled sample corpus, store it in lagebild.db and print what the store holds.
run: $(STAMP)
	mkdir -p build
	$(BIN)/lagebild analyze corpora/samples --format jsonl --output build/samples.jsonl --summary
	$(BIN)/lagebild ingest corpora/samples --db lagebild.db
	$(BIN)/lagebild speakers --db lagebild.db --top 10
	$(BIN)/lagebild entities --db lagebild.db --top 15
	$(BIN)/lagebild events --db lagebild.db --limit 15

## The whole test suite.
test: $(STAMP)
	$(BIN)/python -m pytest -q

## Evaluations whose figures go to docs/ (slow; not part of `make test`).
eval: $(STAMP)
	$(BIN)/lagebild eval extraction corpora/extraction/dev --report docs/eval-extraction-dev.md
	$(BIN)/lagebild eval extraction corpora/extraction/heldout --report docs/eval-extraction-heldout.md
	$(BIN)/lagebild eval extraction corpora/extraction/blind --report docs/eval-extraction-blind.md
	$(BIN)/lagebild eval sentences --report docs/eval-sentences.md
	$(BIN)/lagebild eval linguistic --report docs/eval-linguistic.json
	$(BIN)/lagebild eval ner --germeval ../shared/data/germeval2014_ner/NER-de-dev.tsv --part test --report docs/eval-ner-pipeline.md
	$(BIN)/lagebild eval quotes --spkatt ../shared/data/spkatt2023_task2_news/train --report docs/eval-quotes.md
	$(BIN)/lagebild eval quotes --spkatt ../shared/data/spkatt2023_task2_news/train --quote-model none --report docs/eval-quotes-rules.md
	$(BIN)/lagebild eval events corpora/events/dev --report docs/eval-events-dev.md
	$(BIN)/lagebild eval events corpora/events/heldout --report docs/eval-events-heldout.md
	$(BIN)/lagebild eval events corpora/events/gold/tune --report docs/eval-events-gold-tune.md
	$(BIN)/lagebild eval events corpora/events/gold/test --report docs/eval-events-gold-test.md

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_structure.py --report docs/performance.md
	$(BIN)/python benchmarks/bench_nlp.py --stages morphology,entities --report docs/performance.md
	$(BIN)/python benchmarks/bench_quotes.py --report docs/performance.md
	$(BIN)/python benchmarks/bench_events.py --report docs/performance.md
	$(BIN)/python benchmarks/bench_ingest.py --report docs/performance.md

clean:
	rm -rf $(VENV) build .pytest_cache lagebild.db lagebild.db-wal lagebild.db-shm
