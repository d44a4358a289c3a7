# The throwaway primary of docker-compose.yml: Debian 12 with the seed's packages, set up at every start by
# deploy/primary/setup-primary.sh. The packages come in at build time, so a container never needs the
# internet. Build context: deploy/primary (docker-compose.yml builds it with `network: host`).
FROM debian:bookworm-slim
# Installing postgresql-15 makes Debian's cluster 15/main, which setup-primary.sh sets up; the named volumes on
# /var/lib/postgresql and /etc/postgresql start as a copy of it. The SSH host keys made here would be shared by
# every container of the image: they are made at the container's first start instead.
RUN set -eux; \
    apt-get update; \
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-15 pgbackrest openssh-server; \
    rm -rf /var/lib/apt/lists/*; \
    rm -f /etc/ssh/ssh_host_*
COPY setup-primary.sh /usr/local/sbin/setup-primary.sh
# setup-primary.sh is idempotent: each start checks everything again. The ready file tells the health check
# that the setup (and its first backup) is done; TERM (docker stop) is a fast shutdown of PostgreSQL.
CMD ["bash", "-ceu", "\
rm -f /run/primary-ready; \
ssh-keygen -A; \
setup-primary.sh; \
touch /run/primary-ready; \
trap 'pg_ctlcluster 15 main stop -m fast; exit 0' TERM INT; \
sleep infinity & wait"]
