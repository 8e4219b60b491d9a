# 政务驾驶舱 (Streamlit + DuckDB) — 常用命令。运行 `make` 查看说明。
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV      := .venv
PY        := $(VENV)/bin/python
STAMP     := $(VENV)/.stamp
WAREHOUSE := data/warehouse.duckdb
REQS      := requirements.txt requirements-dev.txt
# Debian packages the browser tests, PDF checks, the replica tests (nginx, see `cluster`) and the
# app-state store tests (PostgreSQL) need. fonts-wqy-microhei: a TrueType CJK font, which the PDF
# embeds as CID TrueType (Noto Sans CJK's CFF outlines print as Type 3).
SYSPKGS   := chromium fonts-noto-cjk fonts-wqy-microhei poppler-utils nginx postgresql
CHROMIUM  := /usr/bin/chromium

.PHONY: help venv sysdeps run test bench bench-load cluster clean

help:
	@echo "可用命令："
	@echo "  make venv     创建虚拟环境 .venv 并安装 requirements-dev.txt（依赖文件更新后才重装）"
	@echo "  make sysdeps  安装系统依赖：Chromium、Noto CJK 与文泉驿微米黑中文字体、poppler-utils、nginx、PostgreSQL（需 root）"
	@echo "  make run      生成演示数据仓库（如缺失）并在 http://127.0.0.1:8501 启动驾驶舱"
	@echo "  make test     运行全部测试（含 Chromium 浏览器测试）"
	@echo "  make bench    运行性能基准（规模 1 与 25）"
	@echo "  make bench-load  负载测试：20 个会话、思考 5 秒、120 秒，针对 $(WAREHOUSE)"
	@echo "  make cluster  本机启动 2 个副本与 nginx（http://127.0.0.1:8080），Ctrl-C 停止"
	@echo "  make clean    删除 .venv 和 $(WAREHOUSE)"

venv: $(STAMP)

$(STAMP): $(REQS)
	@if [ ! -x "$(PY)" ]; then \
		if command -v python3.11 >/dev/null 2>&1; then PYBIN=python3.11; else PYBIN=python3; fi; \
		echo "创建虚拟环境：$$PYBIN -m venv $(VENV)"; \
		$$PYBIN -m venv $(VENV); \
	fi
	$(PY) -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	@touch $(STAMP)

sysdeps:
	@missing=""; \
	[ -x $(CHROMIUM) ] || missing="$$missing chromium"; \
	if ! { fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || dpkg -s fonts-noto-cjk >/dev/null 2>&1; }; then \
		missing="$$missing fonts-noto-cjk"; \
	fi; \
	{ fc-list 2>/dev/null | grep -qi "WenQuanYi Micro Hei" || dpkg -s fonts-wqy-microhei >/dev/null 2>&1; } \
		|| missing="$$missing fonts-wqy-microhei"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	{ command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; } || missing="$$missing nginx"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -z "$$missing" ]; then \
		echo "系统依赖已就绪（chromium、fonts-noto-cjk、fonts-wqy-microhei、poppler-utils、nginx、postgresql）"; \
	elif [ "$$(id -u)" = "0" ]; then \
		echo "安装缺失的系统依赖：$$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update && apt-get install -y --no-install-recommends $(SYSPKGS); \
	else \
		echo "警告：缺少系统依赖：$$missing" >&2; \
		echo "警告：当前不是 root，无法自动安装。请执行：sudo apt-get install -y --no-install-recommends $(SYSPKGS)" >&2; \
		echo "警告：缺少 $(CHROMIUM) 时浏览器测试将被跳过，缺少 nginx 时多副本测试将被跳过。" >&2; \
	fi

$(WAREHOUSE): | $(STAMP)
	@mkdir -p $(dir $(WAREHOUSE))
	$(PY) -m dashboard build-demo --out $(WAREHOUSE)

run: venv $(WAREHOUSE)
	$(PY) -m dashboard users demo
	$(PY) -m streamlit run app.py --server.address 127.0.0.1 --server.port 8501

# As root the browser is installed above, so browser tests must run (not be skipped).
test: venv sysdeps
	DASHBOARD_REQUIRE_BROWSER=$$([ "$$(id -u)" = 0 ] && echo 1 || echo 0) $(PY) -m pytest -q tests

bench: venv
	$(PY) -m dashboard bench --scale 1,25

bench-load: venv $(WAREHOUSE)
	$(PY) -m dashboard bench --load --sessions 20 --think 5 --duration 120

cluster: venv sysdeps $(WAREHOUSE)
	$(PY) -m dashboard cluster --replicas 2 --port 8080

clean:
	rm -rf $(VENV) $(WAREHOUSE) $(WAREHOUSE).wal data/versions data/.versions.lock
