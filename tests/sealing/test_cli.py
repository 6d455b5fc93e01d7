"""`flask ledger ...` as an operator and an auditor use it."""

import json

from relief_stock.sealing.checkpoints import Checkpoint

from .helpers import history, raw


def test_seal_checkpoint_and_verify_from_the_command_line(runner, world, receive_one, tmp_path):
    history(world, receive_one, receipts=2)
    assert "seal 1 covers 6 movements" in runner.invoke(args=["ledger", "seal"]).output
    result = runner.invoke(args=["ledger", "checkpoint"])
    assert result.exit_code == 0, result.output
    published = json.loads(result.output)
    assert published["tree_size"] == 6 and published["public_key"].startswith("-----BEGIN PUBLIC KEY")
    checkpoint = tmp_path / "checkpoint.json"
    checkpoint.write_text(result.output)
    key = tmp_path / "public.pem"
    key.write_text(runner.invoke(args=["ledger", "public-key"]).output)
    assert Checkpoint.from_json(result.output).seal == 1

    result = runner.invoke(
        args=["ledger", "verify", "--checkpoint", str(checkpoint), "--public-key", str(key)]
    )
    assert result.exit_code == 0, result.output
    assert "ledger intact: 6 movements in 1 signed seals" in result.output

    raw("UPDATE movements SET reason = '已发放' WHERE id = 2")
    result = runner.invoke(args=["ledger", "verify", "--checkpoint", str(checkpoint)])
    assert result.exit_code == 1
    assert "movement 2 (position 2, seal 1) differs" in result.output


def test_a_bad_checkpoint_file_is_refused_with_the_reason(runner, world, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"seal": 1}')
    runner.invoke(args=["ledger", "seal"])
    result = runner.invoke(args=["ledger", "verify", "--checkpoint", str(bad)])
    assert result.exit_code == 1 and "not a ledger checkpoint" in result.output


def test_checkpoint_of_an_empty_ledger_says_so(runner, world):
    result = runner.invoke(args=["ledger", "checkpoint"])
    assert result.exit_code == 1 and "empty" in result.output
