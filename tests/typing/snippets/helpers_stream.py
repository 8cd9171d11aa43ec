from typing_extensions import assert_type

from pyopenai import OpenAI

client = OpenAI(api_key="sk-test")
with client.chat.completions.stream(
    model="gpt-4o-mini",
    messages=[{"role": "user", "content": "Count to three"}],
) as stream:
    for event in stream:
        if event.type == "content.delta":
            assert_type(event.delta, str)
    final = stream.get_final_completion()
    assert_type(final.choices[0].message.content, "str | None")

with client.responses.stream(model="gpt-4o-mini", input="Count to three") as rstream:
    for revent in rstream:
        if revent.type == "response.output_text.delta":
            assert_type(revent.delta, str)
    response = rstream.get_final_response()
    assert_type(response.output_text, str)
