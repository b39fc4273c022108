# Công Đoàn Số — set-up and checks. `make run` and `make test` are all a fresh machine needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test unit e2e install messages compilemessages lint format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install -q --disable-pip-version-check -c constraints.txt -e ".[dev]"
	touch $@

install: $(VENV)/.installed

# Compiled translations (.mo) are built, not committed.
compilemessages: install
	$(BIN)/pybabel -q compile -d congdoan/locale -D django --statistics

# Refresh the .po catalogue from the code (needs GNU gettext); translate, then commit the .po.
messages: install
	cd congdoan && ../$(BIN)/python ../manage.py makemessages -l vi -l en --no-obsolete --add-location file

run: compilemessages
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py loaddemo
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl+C stops the server and the task worker)"
	@trap 'kill 0' INT TERM EXIT; \
	DEBUG=1 $(BIN)/python manage.py db_worker --interval 1 >/dev/null 2>&1 & \
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: compilemessages
	$(BIN)/python -m pytest -q congdoan e2e

unit: compilemessages
	$(BIN)/python -m pytest -q congdoan

e2e: compilemessages
	$(BIN)/python -m pytest -q e2e

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/python benchmarks/org_scale.py

clean:
	rm -rf $(VENV) db.sqlite3* staticfiles congdoan/locale/*/LC_MESSAGES/*.mo
