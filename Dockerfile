# One image for every role of Bacefook Store: the container's command picks the jar to run
# (see docker-compose.yml). Build: docker build -t bacefook-store .

# Build stage: the whole multi-module build, tests skipped (./test.sh runs them).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -ntp -DskipTests clean package

# Runtime stage: a JRE and the three runnable jars.
FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/shardmaster/target/shardmaster.jar \
                  /src/shardkv/target/shardkv.jar \
                  /src/frontend-gateway/target/frontend-gateway.jar \
                  /app/
# JVM options per role (see README, "JVM settings"); docker-compose.yml passes them, then JAVA_OPTS.
COPY jvm-options /app/jvm-options
# shardmaster 8080, shardkv 7001 (each in its own container), web UI and JSON API 3000.
EXPOSE 8080 7001 3000
CMD ["java", "-jar", "/app/frontend-gateway.jar", "--help"]
