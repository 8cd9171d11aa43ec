from typing import List

from typing_extensions import assert_type, override

from pyopenai import AsyncOpenAI, OpenAI
from pyopenai.lib.streaming import AssistantEventHandler, AsyncAssistantEventHandler
from pyopenai.types.beta import AssistantStreamEvent
from pyopenai.types.beta.threads import Message, Run
from pyopenai.types.beta.threads.runs import RunStep

client = OpenAI(api_key="sk-test")


class Printer(AssistantEventHandler):
    @override
    def on_text_delta(self, delta, snapshot) -> None:
        print(delta.value, end="")

    def transcript(self) -> str:
        return "".join(self.text_deltas)


with client.beta.threads.runs.stream(thread_id="thread_1", assistant_id="asst_1", event_handler=Printer()) as printer:
    assert_type(printer, Printer)
    assert_type(printer.transcript(), str)

with client.beta.threads.runs.stream(thread_id="thread_1", assistant_id="asst_1", instructions="Be brief.") as stream:
    assert_type(stream, AssistantEventHandler)
    for event in stream:
        assert_type(event, AssistantStreamEvent)
        if event.event == "thread.run.completed":
            assert_type(event.data, Run)
    assert_type(stream.get_final_run(), Run)
    assert_type(stream.get_final_messages(), List[Message])
    assert_type(stream.get_final_run_steps(), List[RunStep])

with client.beta.threads.runs.submit_tool_outputs_stream(
    thread_id="thread_1", run_id="run_1", tool_outputs=[{"tool_call_id": "call_1", "output": "22C"}]
) as submitted:
    submitted.until_done()

with client.beta.threads.create_and_run_stream(assistant_id="asst_1", thread={"messages": [{"role": "user", "content": "Hi"}]}) as run:
    assert_type(run.current_run, "Run | None")

# the arguments are create()'s, checked by name and type
client.beta.threads.runs.stream(thread_id="thread_1", assistant="asst_1")  # expect-error
client.beta.threads.runs.stream(thread_id="thread_1", assistant_id="asst_1", stream=True)  # expect-error
client.beta.threads.runs.stream(thread_id="thread_1", assistant_id="asst_1", temperature="hot")  # expect-error


async def main() -> None:
    aclient = AsyncOpenAI(api_key="sk-test")
    async with aclient.beta.threads.runs.stream(thread_id="thread_1", assistant_id="asst_1") as astream:
        assert_type(astream, AsyncAssistantEventHandler)
        async for aevent in astream:
            assert_type(aevent, AssistantStreamEvent)
        assert_type(await astream.get_final_run(), Run)
