"""The `zhuanjie` command: migrate, demo, serve, train, worker, create-user, create-token,
gen-key, rotate-keys, backup, restore."""

from __future__ import annotations

import logging
import sys

import click

from zhuanjie import codes


def _settings():
    from zhuanjie.config import ConfigError, get_settings

    try:
        return get_settings()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


def _echo_db(settings) -> None:
    url = settings.database_url
    shown = url.split("@")[-1] if "@" in url else url
    click.echo(f"数据库: {shown}")


@click.group(help="转介 Zhuanjie — 社会救助转介服务信息平台。数据库由 ZHUANJIE_DATABASE_URL 指定。")
def main() -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )


@main.command(help="把数据库升级到最新结构，并导入南通市行政区划。可重复执行。")
def migrate() -> None:
    from zhuanjie.migrate import upgrade

    settings = _settings()
    _echo_db(settings)
    added = upgrade(settings.database_url)
    click.echo(f"数据库结构已是最新；新增行政区划 {added} 条。")


@main.command(
    help="向空数据库填入演示数据（机构、各角色用户、约200户家庭、400条需求、80个项目、各状态转介），并打印一次演示账号的密码。"
)
@click.option("--seed", default=2017, show_default=True, help="随机种子，同一种子生成同样的内容。")
def demo(seed: int) -> None:
    from zhuanjie.db import session_scope
    from zhuanjie.demo import DemoError, load_demo
    from zhuanjie.migrate import upgrade

    settings = _settings()
    _echo_db(settings)
    upgrade(settings.database_url)

    def progress(label: str, done: int, total: int) -> None:
        click.echo(f"\r{label}: {done}/{total}", nl=done >= total)

    with session_scope(settings.database_url) as session:
        try:
            result = load_demo(session, seed=seed, progress=progress)
        except DemoError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo("\n演示数据已导入。演示账号（密码随机生成，请妥善保存）：")
    for login in result.logins:
        username, role, name, password, scope = login
        click.echo(
            f"  {username:<18} {password:<16} {codes.ROLES.get(role, role)}  {name}  {scope}"
        )


@main.command(help="启动网页和接口服务（默认同时运行定时任务）。")
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址。")
@click.option("--port", default=8000, show_default=True, type=int, help="监听端口。")
@click.option(
    "--no-scheduler", is_flag=True, help="不在本进程运行定时任务（由单独的 worker 运行）。"
)
@click.option(
    "--workers", default=1, show_default=True, type=click.IntRange(1, 64),
    help="工作进程数（uvicorn）。多于1个时都不运行定时任务，除非给出 --scheduler-in-one。",
)
@click.option(
    "--scheduler-in-one", is_flag=True,
    help="多进程时让其中恰好一个进程运行定时任务（否则请另行运行 zhuanjie worker）。",
)
@click.option("--no-access-log", is_flag=True, help="不逐条记录请求（前面有反向代理记录时）。")
def serve(host: str, port: int, no_scheduler: bool, workers: int, scheduler_in_one: bool,
          no_access_log: bool) -> None:
    import os

    import uvicorn

    if no_scheduler or (workers > 1 and not scheduler_in_one):
        os.environ["ZHUANJIE_RUN_SCHEDULER"] = "false"
    elif workers > 1:
        # Exactly one worker runs it: the first to take this lock file (see scheduler_lock).
        import tempfile

        os.environ["ZHUANJIE_SCHEDULER_LOCK"] = os.path.join(
            tempfile.mkdtemp(prefix="zhuanjie-serve-"), "scheduler.lock"
        )
    settings = _settings()
    _echo_db(settings)
    if workers > 1:
        where = "其中一个进程运行定时任务" if scheduler_in_one and not no_scheduler else (
            "定时任务不在网页进程中运行，请另行运行 zhuanjie worker")
        click.echo(f"{workers} 个工作进程；{where}。")
    click.echo(f"打开 http://{host}:{port}/ 使用平台；接口文档在 /docs。")
    # X-Forwarded-For/-Proto are believed only from ZHUANJIE_TRUSTED_PROXIES (none by default).
    proxies = [str(n) for n in settings.trusted_proxy_networks]
    uvicorn.run(
        "zhuanjie.main:create_app", factory=True, host=host, port=port,
        proxy_headers=bool(proxies), forwarded_allow_ips=proxies or None,
        workers=workers, access_log=not no_access_log,
    )


@main.command(
    help="用近一年的转介结果训练匹配模型：以最近几周为留出数据，与正在使用的模型比较，"
    "高出阈值（ZHUANJIE_MODEL_MARGIN）才启用，否则保留为候选。每周定时任务也会运行。"
)
def train() -> None:
    from zhuanjie.db import session_scope
    from zhuanjie.learning import service

    settings = _settings()
    _echo_db(settings)
    with session_scope(settings.database_url) as session:
        done = service.train(session, trained_by="cli")
    if done.model is None:
        click.echo(f"未生成模型：{done.note}")
        return
    m = done.model
    click.echo(
        f"模型 #{m.id}：{m.pairs} 条训练结果（成功 {m.positives}），留出 {m.holdout_pairs} 条；"
        f"{'已启用' if done.promoted else '未启用'}。{m.note}"
    )


@main.command(help="只运行定时任务（提醒、逾期、回访、每晚重新匹配），供部署时与网页服务分开运行。")
@click.option("--once", is_flag=True, help="把每个任务各运行一次后退出。")
@click.option(
    "--drain", is_flag=True, help="处理完所有已到期事项后退出（其他进程留下的过期认领也会接手）。"
)
def worker(once: bool, drain: bool) -> None:
    from zhuanjie.scheduler import JOBS, build_scheduler, run_job

    settings = _settings()
    _echo_db(settings)
    if drain:
        from zhuanjie import tasks
        from zhuanjie.db import session_scope

        with session_scope(settings.database_url) as session:
            report = tasks.drain(session)
        click.echo(
            f"完成 {report.done} 项，失败 {report.failed} 项，被其他进程接手 {report.lost} 项。"
        )
        return
    if once:
        for spec in JOBS:
            run = run_job(spec, settings.database_url)
            click.echo(f"{spec.id}: {'成功' if run.ok else '失败'} — {run.message}")
        return
    click.echo("定时任务已启动，按 Ctrl+C 停止。")
    try:
        build_scheduler(blocking=True).start()
    except (KeyboardInterrupt, SystemExit):
        click.echo("已停止。")


@main.command(
    "create-user", help="创建一个账号。经办人员和监管人员要给出辖区，机构工作人员要给出机构编号。"
)
@click.option("--username", required=True, help="登录名（字母、数字、下划线）。")
@click.option("--name", "display_name", required=True, help="显示的姓名。")
@click.option("--role", required=True, type=click.Choice(list(codes.ROLES)), help="角色。")
@click.option("--region", "region_path", default=None, help="辖区，如 南通市/如皋市/白蒲镇。")
@click.option("--organisation-id", type=int, default=None, help="所属机构编号。")
@click.option("--email", default="", help="电子邮箱（接收通知）。")
@click.password_option(
    help="密码（至少10位，含大写字母、小写字母、数字、符号中的至少三类）；不给出则提示输入。"
)
def create_user(
    username, display_name, role, region_path, organisation_id, email, password
) -> None:
    from pydantic import ValidationError

    from zhuanjie.auth import service
    from zhuanjie.auth.schemas import UserCreate
    from zhuanjie.db import session_scope
    from zhuanjie.errors import DomainError
    from zhuanjie.forms import field_errors

    settings = _settings()
    try:
        data = UserCreate(
            username=username,
            display_name=display_name,
            role=role,
            region_path=region_path,
            organisation_id=organisation_id,
            email=email,
            password=password,
        )
        with session_scope(settings.database_url) as session:
            user = service.create_user(session, actor=None, data=data)
    except ValidationError as exc:
        raise click.ClickException(
            "；".join(f"{k}: {v}" for k, v in field_errors(exc).items())
        ) from None
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"已创建用户 {user.username}（{codes.ROLES[user.role]}），编号 {user.id}。")


@main.command("create-token", help="为已有账号生成一个 API 令牌（只显示一次），到期后失效。")
@click.argument("username")
@click.option("--name", default="cli", show_default=True, help="令牌用途说明。")
@click.option(
    "--days",
    type=click.IntRange(1, 3650),
    default=None,
    help="有效天数（默认取 ZHUANJIE_TOKEN_DAYS，即90天）。",
)
def create_token(username: str, name: str, days: int | None) -> None:
    from sqlmodel import select

    from zhuanjie.auth import service
    from zhuanjie.db import session_scope
    from zhuanjie.models import User

    settings = _settings()
    with session_scope(settings.database_url) as session:
        user = session.exec(select(User).where(User.username == username)).first()
        if user is None:
            raise click.ClickException(f"没有用户 {username}")
        click.echo(service.issue_token(session, user=user, name=name, days=days))


@main.command("gen-key", help="生成一个字段加密密钥，用于 ZHUANJIE_FIELD_KEY（生产环境）。")
def gen_key() -> None:
    from zhuanjie.config import new_field_key

    click.echo(new_field_key())


@main.command(
    "import-hsds",
    help="从 Open Referral HSDS 3.0 文件（服务列表或分页结果，JSON）导入项目，全部保存为草稿；"
    "逐条报告未能导入的记录及原因。未登记的机构按待认证新建。",
)
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--no-schema-check", is_flag=True, help="不按 HSDS 3.0 官方结构逐条校验。")
def import_hsds(path: str, no_schema_check: bool) -> None:
    import json

    from zhuanjie.db import session_scope
    from zhuanjie.offers import hsds, hsds_format

    settings = _settings()
    _echo_db(settings)
    try:
        with open(path, encoding="utf-8") as handle:
            records = hsds_format.records_from_file(json.load(handle))
    except (ValueError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"无法读取 {path}：{exc}") from None
    validate = None
    if not no_schema_check:
        try:
            validator = hsds_format.schema_validator("service")
        except ImportError:
            click.echo("未安装 jsonschema，跳过 HSDS 结构校验。")
        else:

            def validate(record):
                return hsds_format.schema_problem(validator, record)

    with session_scope(settings.database_url) as session:
        report = hsds.import_services(session, records, validate=validate)
    click.echo(
        f"共 {len(records)} 条：已导入 {len(report.created)} 个项目（草稿），"
        f"新建机构 {len(report.organisations_created)} 个（待认证），"
        f"未导入 {len(report.refused)} 条。"
    )
    if report.skipped:
        click.echo(f"跳过此前已导入的 {len(report.skipped)} 条（未重复创建）。")
    for label, why in report.refused:
        click.echo(f"  未导入 {label}：{why}")


@main.command(
    "rotate-keys",
    help="用最新的字段加密密钥（ZHUANJIE_FIELD_KEYS 中最后一个）重新加密全部个人信息字段，"
    "并用当前查找哈希密钥（ZHUANJIE_HASH_KEY）重算全部查找哈希。分批提交，中断后再次运行即可继续；"
    "完成后才可删除旧密钥。",
)
@click.option("--batch", default=500, show_default=True, type=click.IntRange(1, 100000),
              help="每批处理的行数。")
@click.option("--max-batches", type=click.IntRange(1), default=None,
              help="处理这么多批后暂停（以后再次运行继续）。")
def rotate_keys(batch: int, max_batches: int | None) -> None:
    from zhuanjie import crypto, keys
    from zhuanjie.db import get_engine

    settings = _settings()
    _echo_db(settings)
    ring = crypto.keyring()
    click.echo(f"加密密钥：{ring.current_id}（可解密：{'、'.join(k for k, _ in ring.keys)}）")

    def progress(table: str, done: int, total: int, rewritten: int) -> None:
        click.echo(f"{table}: {done}/{total}，本次改写 {rewritten} 行")

    try:
        report = keys.rotate(get_engine(settings.database_url), ring=ring, batch=batch,
                             max_batches=max_batches, progress=progress)
        if report.finished:
            from zhuanjie.attachments.storage import default_storage

            files, files_rewritten = keys.rotate_attachments(
                get_engine(settings.database_url), ring=ring, storage=default_storage(),
                progress=progress)
            click.echo(f"附件文件：检查 {files} 个，重新加密 {files_rewritten} 个。")
    except crypto.FieldKeyError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"共检查 {report.checked} 行，改写 {report.rewritten} 行。")
    if report.changed_meanwhile:
        click.echo(f"{report.changed_meanwhile} 行在处理时被修改，请再运行一次。")
    if not report.finished:
        click.echo("已暂停：再次运行 zhuanjie rotate-keys 继续。")
    elif not report.changed_meanwhile:
        click.echo("完成：全部字段已用最新密钥加密。确认无误后可从配置中删除旧密钥。")


@main.command(
    "insight-rebuild",
    help="重建数据概览用的需求与转介副本（insight_needs、insight_referrals）。平时随每次写入自动更新；"
    "绕过应用直接批量写入数据库后运行一次。",
)
def insight_rebuild() -> None:
    from zhuanjie.db import get_engine
    from zhuanjie.insight import facts

    settings = _settings()
    _echo_db(settings)
    with get_engine(settings.database_url).begin() as conn:
        needs, referrals = facts.rebuild(conn)
    click.echo(f"已重建：需求 {needs} 条，转介 {referrals} 条。")


@main.command(
    help="备份数据库（SQLite 在线备份；PostgreSQL 用 pg_dump）及附件文件夹到新文件夹 DEST。"
    "备份不含任何密钥：请把密钥与备份分开保存。",
)
@click.argument("dest", type=click.Path(file_okay=False))
def backup(dest: str) -> None:
    from pathlib import Path

    from zhuanjie import backup as backups
    from zhuanjie import crypto

    settings = _settings()
    _echo_db(settings)
    try:
        result = backups.backup(settings.database_url, Path(dest), var_dir=settings.var_dir,
                                key_ids=[k for k, _ in crypto.keyring().keys])
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"已备份到 {result.folder}：{len(result.tables)} 张表，"
               f"{sum(result.tables.values())} 行，附件 {result.attachments} 个。")
    click.echo("备份不含密钥；恢复时需要现在使用的字段加密密钥和查找哈希密钥。")


@main.command(
    help="从 zhuanjie backup 生成的文件夹 SRC 恢复数据库和附件。目标数据库须为空，"
    "或加 --replace 覆盖。",
)
@click.argument("src", type=click.Path(exists=True, file_okay=False))
@click.option("--replace", is_flag=True, help="覆盖目标数据库中已有的数据。")
def restore(src: str, replace: bool) -> None:
    from pathlib import Path

    from zhuanjie import backup as backups

    settings = _settings()
    _echo_db(settings)
    try:
        result = backups.restore(settings.database_url, Path(src), var_dir=settings.var_dir,
                                 replace=replace)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"已恢复：{len(result.tables)} 张表，{sum(result.tables.values())} 行，"
               f"附件 {result.attachments} 个。")


if __name__ == "__main__":
    sys.exit(main())
