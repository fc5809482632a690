# The reverse proxy: Debian's nginx with deploy/nginx.conf.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends nginx-light \
    && rm -rf /var/lib/apt/lists/* && mkdir -p /srv/nginx/tmp
COPY deploy/nginx.conf /etc/nginx/zhuanjie.conf
EXPOSE 80
CMD ["nginx", "-p", "/srv/nginx", "-c", "/etc/nginx/zhuanjie.conf", "-g", "daemon off;"]
