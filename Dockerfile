# The image compose.yaml runs as web and as worker: budgetpack installed with its dependencies.
FROM python:3.11-slim
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir .
